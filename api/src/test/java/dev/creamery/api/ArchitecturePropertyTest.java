package dev.creamery.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The canonical form is the journal's key: every architecture reads back from it as itself, the
 * form is stable, and any text either reads as an architecture whose form is stable or is refused
 * with an {@link IllegalArgumentException} (what the command line reports as an input error).
 *
 * <p>The testkit's {@code Generated} runs the other property tests; it depends on this module, so
 * this class carries the few lines of it that it needs: cases from seeds drawn from a fixed base
 * seed, a failure naming the case's seed and input, {@code -Dgenerated.seed=<seed>} to replay one.
 */
class ArchitecturePropertyTest {
    private static final String NAME_START = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String NAME_REST = NAME_START + "0123456789_.-";
    private static final String WORD = NAME_START + "0123456789_.:+-";
    private static final String[] ODD_WORDS = {"1e5", "1.50", "-0", "007", "true", "9223372036854775807", "1e", ".5", "+1"};

    private static <T> void check(int cases, Function<SplittableRandom, T> generator, Consumer<T> check) {
        String replay = System.getProperty("generated.seed");
        // Mixing in the calling test keeps two properties from checking the same cases.
        String property = StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst().orElseThrow().getMethodName());
        SplittableRandom seeds = new SplittableRandom(0x4352_4541_4D45_5259L ^ (ArchitecturePropertyTest.class.getName() + "#" + property)
                .hashCode() * 0x9E37_79B9_7F4A_7C15L);
        for (int i = 1; i <= (replay == null ? cases : 1); i++) {
            long seed = replay == null ? seeds.nextLong() : Long.parseUnsignedLong(replay.replaceFirst("^0x", ""), 16);
            T input = null;
            try {
                input = generator.apply(new SplittableRandom(seed));
                check.accept(input);
            } catch (RuntimeException | AssertionError | StackOverflowError | OutOfMemoryError failure) {
                String shown = String.valueOf(input).replace("\n", "\\n");
                throw new AssertionError("case " + i + " of " + cases + " failed, seed 0x" + Long.toHexString(seed)
                        + " (replay: -Dgenerated.seed=0x" + Long.toHexString(seed) + ")\n  input: "
                        + (shown.length() > 300 ? shown.substring(0, 300) + "... (" + shown.length() + " characters)" : shown)
                        + "\n  failure: " + failure, failure);
            }
        }
    }

    /** A length in {@code [min, max]}: the bounds more often than their share, since that is where off-by-ones hide. */
    private static int size(SplittableRandom random, int min, int max) {
        int draw = random.nextInt(8);
        return draw == 0 ? min : draw == 1 ? max : random.nextInt(min, max + 1);
    }

    private static String string(SplittableRandom random, String chars, int minLength, int maxLength) {
        StringBuilder text = new StringBuilder();
        for (int i = size(random, minLength, maxLength); i > 0; i--) {
            text.append(chars.charAt(random.nextInt(chars.length())));
        }
        return text.toString();
    }

    /** Any characters of the Basic Multilingual Plane but unpaired surrogates, with ASCII and controls as often as the rest. */
    private static String anyString(SplittableRandom random, int maxLength) {
        StringBuilder text = new StringBuilder();
        for (int i = size(random, 0, maxLength); i > 0; i--) {
            char c;
            do {
                c = (char) (random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0x10000));
            } while (Character.isSurrogate(c));
            text.append(c);
        }
        return text.toString();
    }

    private static Object scalar(SplittableRandom random) {
        return switch (random.nextInt(5)) {
            case 0 -> random.nextInt(10) == 0 ? (Object) new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE}[random.nextInt(5)]
                    : random.nextBoolean() ? random.nextLong(-1000, 1001) : random.nextLong();
            case 1 -> {
                // Two decimals across every magnitude, the edges, and now and then any finite double at all.
                int draw = random.nextInt(10);
                double d;
                if (draw == 0) {
                    d = new double[] {0.0, 0.01, -0.01, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE}[random.nextInt(6)];
                } else if (draw == 1) {
                    do {
                        d = Double.longBitsToDouble(random.nextLong());
                    } while (!Double.isFinite(d));
                } else {
                    d = Math.round((random.nextDouble() * 2 - 1) * Math.pow(10, random.nextInt(-2, 18)) * 100) / 100.0;
                }
                yield d;
            }
            case 2 -> random.nextBoolean();
            case 3 -> {
                // A string that reads as a number beyond a double ("1e999") is refused: it could not be read back.
                String word;
                do {
                    word = string(random, WORD, 1, 10);
                } while (!holdable(word));
                yield word;
            }
            default -> ODD_WORDS[random.nextInt(ODD_WORDS.length)];
        };
    }

    private static Architecture architecture(SplittableRandom random) {
        Architecture.Builder builder = Architecture.builder();
        for (int i = size(random, 0, 6); i > 0; i--) {
            String name = NAME_START.charAt(random.nextInt(NAME_START.length())) + string(random, NAME_REST, 0, 8);
            Object value;
            if (random.nextBoolean()) {
                value = scalar(random);
            } else {
                List<Object> list = new ArrayList<>();
                for (int j = size(random, 0, 5); j > 0; j--) {
                    list.add(scalar(random));
                }
                value = list;
            }
            builder.put(name, value);
        }
        return builder.build();
    }

    private static boolean holdable(String word) {
        try {
            Architecture.normalize(word);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void readsBackFromItsCanonicalForm() {
        check(1000, ArchitecturePropertyTest::architecture, architecture -> {
            Architecture read = Architecture.parse(architecture.canonical());
            assertThat(read).isEqualTo(architecture);
            assertThat(read.canonical()).isEqualTo(architecture.canonical());
            assertThat(read.toString()).isEqualTo(architecture.toString());
            assertThat(Architecture.parse(read.canonical()).values()).isEqualTo(read.values());
        });
    }

    /** Text of the canonical form's alphabet, a canonical form with a few characters changed, or any text. */
    private static String text(SplittableRandom random) {
        return switch (random.nextInt(3)) {
            case 0 -> string(random, "ab=[],. -+e1234567890xX_:\t\n\u0001", 0, 40);
            case 1 -> {
                String text = architecture(random).canonical();
                int position = Math.min(random.nextInt(101), text.length());
                String insert = string(random, "=[], .e-x9", 0, 3);
                yield text.substring(0, position) + insert + text.substring(Math.min(text.length(), position + insert.length() % 2));
            }
            default -> anyString(random, 30);
        };
    }

    @Test
    void anyTextReadsAsAStableArchitectureOrIsRefused() {
        check(2000, ArchitecturePropertyTest::text, text -> {
            Architecture read;
            try {
                read = Architecture.parse(text);
            } catch (IllegalArgumentException e) {
                assertThat(e).hasMessageNotContaining("\n");
                return;
            }
            assertThat(Architecture.parse(read.canonical())).isEqualTo(read);
            assertThat(Architecture.parse(read.canonical()).canonical()).isEqualTo(read.canonical());
        });
    }

    @Test
    void aLongRunOfDigitsIsReadOrRefusedQuickly() {
        check(200, random -> string(random, "0123456789", 1000, 20_000), digits -> {
            long started = System.nanoTime();
            try {
                Architecture.parse("x=" + digits + "x");
            } catch (IllegalArgumentException e) {
                // refused: fine
            }
            assertThat(System.nanoTime() - started).isLessThan(1_000_000_000L);
        });
    }

    @Test
    void listsKeepTheirOrder() {
        check(50, ArchitecturePropertyTest::architecture, architecture -> {
            for (String name : architecture.names()) {
                if (architecture.get(name) instanceof List<?> list) {
                    assertThat(Architecture.parse(architecture.canonical()).getList(name)).hasSize(list.size());
                }
            }
        });
    }
}

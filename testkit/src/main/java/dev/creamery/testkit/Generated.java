package dev.creamery.testkit;

import dev.creamery.api.Quoted;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * Property-based tests with plain JUnit 5: a property runs over generated cases, each drawn from
 * its own seed. The seeds come from a fixed base seed, so every run checks the same cases and a
 * failure repeats; the failure names the case, its seed and its input, and
 * {@code -Dgenerated.seed=<seed>} runs that one case again.
 *
 * <p>The generators favour edge values (bounds, zero, empty, the longest) a little, since that is
 * where parsers and readers break and there is no shrinking to find them afterwards.
 */
public final class Generated {
    /** Every run draws its cases from this seed, mixed with the name of the test method. */
    public static final long BASE_SEED = 0x4352_4541_4D45_5259L;
    /** Set to a case's seed (as a failure reports it), runs only that case. */
    public static final String SEED_PROPERTY = "generated.seed";

    private static final int SHOWN = 300;
    private static final StackWalker CALLERS = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private Generated() {}

    /**
     * Checks a property over generated cases.
     *
     * @param cases how many cases to run
     * @param generator makes one input from its case's random source
     * @param property throws (an assertion, say) if the input breaks it
     * @param <T> the input type
     * @throws AssertionError naming the first failing case, its seed and its input, caused by the failure
     */
    public static <T> void check(int cases, Function<SplittableRandom, ? extends T> generator, ThrowingConsumer<? super T> property) {
        String replay = System.getProperty(SEED_PROPERTY);
        if (replay != null && !replay.isBlank()) {
            run(1, 1, parseSeed(replay), generator, property);
            return;
        }
        // Mixing in the caller keeps two properties of a class from checking the same cases.
        SplittableRandom seeds = new SplittableRandom(BASE_SEED ^ caller().hashCode() * 0x9E37_79B9_7F4A_7C15L);
        for (int i = 1; i <= cases; i++) {
            run(i, cases, seeds.nextLong(), generator, property);
        }
    }

    private static <T> void run(int number, int cases, long seed, Function<SplittableRandom, ? extends T> generator,
            ThrowingConsumer<? super T> property) {
        T input = null;
        try {
            input = generator.apply(new SplittableRandom(seed));
            property.accept(input);
        } catch (Throwable failure) {
            // A stack overflow or running out of memory is a reader's failure on this input; a broken JVM is not.
            if (failure instanceof InternalError || failure instanceof UnknownError) {
                throw (VirtualMachineError) failure;
            }
            String seedText = "0x" + Long.toHexString(seed);
            throw new AssertionError("case " + number + " of " + cases + " failed, seed " + seedText + " (replay: -D" + SEED_PROPERTY
                    + "=" + seedText + ")\n  input: " + (input == null ? "(not generated)" : shorten(input)) + "\n  failure: "
                    + failure, failure);
        }
    }

    private static String caller() {
        return CALLERS.walk(frames -> frames.filter(frame -> frame.getDeclaringClass() != Generated.class).findFirst()
                .map(frame -> frame.getClassName() + "#" + frame.getMethodName()).orElse(""));
    }

    private static long parseSeed(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        return trimmed.startsWith("0x") ? Long.parseUnsignedLong(trimmed.substring(2), 16) : Long.parseLong(trimmed);
    }

    /**
     * @param input a generated input
     * @return its text on one line, control characters escaped, cut to a few hundred characters
     */
    public static String shorten(Object input) {
        String text;
        if (input instanceof byte[] bytes) {
            text = bytes.length + " bytes " + Arrays.toString(bytes);
        } else if (input instanceof String string) {
            text = '"' + string + '"';
        } else if (input != null && input.getClass().isArray()) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(input); i++) {
                items.add(Array.get(input, i));
            }
            text = items.toString();
        } else {
            text = String.valueOf(input);
        }
        int length = text.codePointCount(0, text.length());
        return Quoted.oneLine(text, SHOWN) + (length > SHOWN ? " (" + length + " characters)" : "");
    }

    /**
     * @param random a case's random source
     * @param min the least value
     * @param max the greatest value
     * @return a value in {@code [min, max]}, now and then a bound or zero
     */
    public static int intBetween(SplittableRandom random, int min, int max) {
        return (int) longBetween(random, min, max);
    }

    /**
     * @param random a case's random source
     * @param min the least value
     * @param max the greatest value
     * @return a value in {@code [min, max]}, now and then a bound or zero
     */
    public static long longBetween(SplittableRandom random, long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
        if (random.nextInt(10) == 0) {
            long[] edges = {min, max, min < max ? min + 1 : min, min < max ? max - 1 : max, min <= 0 && max >= 0 ? 0 : min};
            return edges[random.nextInt(edges.length)];
        }
        long span = max - min + 1;
        if (span > 0) {
            return min + random.nextLong(span);
        }
        // The span overflows a long, so a uniform long falls inside at least half of the time.
        long value;
        do {
            value = random.nextLong();
        } while (value < min || value > max);
        return value;
    }

    /**
     * @param random a case's random source
     * @return any int, small ones and the extremes more often than their share
     */
    public static int anyInt(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> intBetween(random, -1000, 1000);
            default -> intBetween(random, Integer.MIN_VALUE, Integer.MAX_VALUE);
        };
    }

    /**
     * @param random a case's random source
     * @return any long, small ones and the extremes more often than their share
     */
    public static long anyLong(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> longBetween(random, -1000, 1000);
            default -> longBetween(random, Long.MIN_VALUE, Long.MAX_VALUE);
        };
    }

    /**
     * @param random a case's random source
     * @return a finite double: mostly with two decimals across every magnitude, sometimes a full-precision one, now and
     *     then an edge (zero, the smallest step, the largest magnitude)
     */
    public static double anyDouble(SplittableRandom random) {
        return switch (random.nextInt(10)) {
            case 0 -> pick(random, 0.0, 0.01, -0.01, 1.0, -1.0, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE);
            case 1 -> {
                double d;
                do {
                    d = Double.longBitsToDouble(random.nextLong());
                } while (!Double.isFinite(d));
                yield d;
            }
            default -> {
                double magnitude = Math.pow(10, random.nextInt(-2, 18));
                yield Math.round((random.nextDouble() * 2 - 1) * magnitude * 100) / 100.0;
            }
        };
    }

    /**
     * @param random a case's random source
     * @param min the least value
     * @param max the greatest value
     * @return a value in {@code [min, max]}, now and then a bound
     */
    public static double doubleBetween(SplittableRandom random, double min, double max) {
        if (random.nextInt(10) == 0) {
            return random.nextBoolean() ? min : max;
        }
        return Math.min(max, min + random.nextDouble() * (max - min));
    }

    /**
     * @param random a case's random source
     * @param minSize the least length
     * @param maxSize the greatest length
     * @return random bytes
     */
    public static byte[] bytes(SplittableRandom random, int minSize, int maxSize) {
        byte[] bytes = new byte[size(random, minSize, maxSize)];
        random.nextBytes(bytes);
        return bytes;
    }

    /**
     * @param random a case's random source
     * @param chars the characters to draw from
     * @param minLength the least length
     * @param maxLength the greatest length
     * @return a string of those characters
     */
    public static String string(SplittableRandom random, String chars, int minLength, int maxLength) {
        StringBuilder text = new StringBuilder();
        for (int i = size(random, minLength, maxLength); i > 0; i--) {
            text.append(chars.charAt(random.nextInt(chars.length())));
        }
        return text.toString();
    }

    /**
     * @param random a case's random source
     * @param minLength the least length
     * @param maxLength the greatest length
     * @return a string of any characters of the Basic Multilingual Plane but unpaired surrogates: ASCII, controls,
     *     quotes and backslashes as often as the rest
     */
    public static String anyString(SplittableRandom random, int minLength, int maxLength) {
        StringBuilder text = new StringBuilder();
        for (int i = size(random, minLength, maxLength); i > 0; i--) {
            char c = switch (random.nextInt(4)) {
                case 0 -> (char) random.nextInt(0x20, 0x7F);
                case 1 -> pick(random, '\u0000', '\t', '\n', '\r', '\u0001', '\u001f', '\u007f', '"', '\'', '\\', ' ', '\u00a0',
                        '\u2028', '\ufeff', '\uffff');
                default -> {
                    char any;
                    do {
                        any = (char) random.nextInt(0x10000);
                    } while (Character.isSurrogate(any));
                    yield any;
                }
            };
            text.append(c);
        }
        return text.toString();
    }

    /**
     * @param random a case's random source
     * @param minSize the least size
     * @param maxSize the greatest size
     * @param element makes one element
     * @param <T> the element type
     * @return a list of generated elements
     */
    public static <T> List<T> list(SplittableRandom random, int minSize, int maxSize, Function<SplittableRandom, ? extends T> element) {
        int size = size(random, minSize, maxSize);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.apply(random));
        }
        return list;
    }

    /**
     * @param random a case's random source
     * @param generators the alternatives
     * @param <T> the value type
     * @return the value of one alternative, each as likely
     */
    @SafeVarargs
    public static <T> T oneOf(SplittableRandom random, Function<SplittableRandom, ? extends T>... generators) {
        return generators[random.nextInt(generators.length)].apply(random);
    }

    /**
     * @param random a case's random source
     * @param values the choices
     * @param <T> the value type
     * @return one of them, each as likely
     */
    @SafeVarargs
    public static <T> T pick(SplittableRandom random, T... values) {
        return values[random.nextInt(values.length)];
    }

    /**
     * @param random a case's random source
     * @param values the choices
     * @param <T> the value type
     * @return one of them, each as likely
     */
    public static <T> T pick(SplittableRandom random, List<? extends T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** A length: the least and the greatest more often than their share, since that is where off-by-ones hide. */
    private static int size(SplittableRandom random, int min, int max) {
        return switch (random.nextInt(8)) {
            case 0 -> min;
            case 1 -> max;
            default -> random.nextInt(min, max + 1);
        };
    }
}

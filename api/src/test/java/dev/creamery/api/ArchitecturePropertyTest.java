package dev.creamery.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The canonical form is the journal's key: every architecture reads back from it as itself, the
 * form is stable, and any text either reads as an architecture whose form is stable or is refused
 * with an {@link IllegalArgumentException} (what the command line reports as an input error).
 */
class ArchitecturePropertyTest {
    private static final String NAME_START = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String NAME_REST = NAME_START + "0123456789_.-";
    private static final String WORD = NAME_START + "0123456789_.:+-";

    @Provide
    Arbitrary<Architecture> architectures() {
        Arbitrary<String> names = Combinators.combine(Arbitraries.of(NAME_START.chars().mapToObj(c -> (char) c).toList()),
                Arbitraries.strings().withChars(NAME_REST).ofMaxLength(8)).as((first, rest) -> first + rest);
        Arbitrary<Object> scalars = Arbitraries.oneOf(Arbitraries.longs().map(Object.class::cast),
                Arbitraries.doubles().map(Object.class::cast), Arbitraries.of(true, false).map(Object.class::cast),
                // Strings that read as a number beyond a double ("1e999") are refused: they could not be read back.
                Arbitraries.strings().withChars(WORD).ofMinLength(1).ofMaxLength(10).filter(ArchitecturePropertyTest::holdable)
                        .map(Object.class::cast),
                Arbitraries.of("1e5", "1.50", "-0", "007", "true", "9223372036854775807", "1e", ".5", "+1").map(Object.class::cast));
        Arbitrary<Object> values = Arbitraries.oneOf(scalars, scalars.list().ofMaxSize(5).map(Object.class::cast));
        return Combinators.combine(names, values).as(Tuple::of).list().ofMaxSize(6).map(pairs -> {
            Architecture.Builder builder = Architecture.builder();
            pairs.forEach(pair -> builder.put(pair.get1(), pair.get2()));
            return builder.build();
        });
    }

    private static boolean holdable(String word) {
        try {
            Architecture.normalize(word);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Property(tries = 1000)
    void readsBackFromItsCanonicalForm(@ForAll("architectures") Architecture architecture) {
        Architecture read = Architecture.parse(architecture.canonical());
        assertThat(read).isEqualTo(architecture);
        assertThat(read.canonical()).isEqualTo(architecture.canonical());
        assertThat(read.toString()).isEqualTo(architecture.toString());
        assertThat(Architecture.parse(read.canonical()).values()).isEqualTo(read.values());
    }

    @Property(tries = 500)
    void readsBackFromItsJson(@ForAll("architectures") Architecture architecture) {
        Architecture read = Architecture.fromJson(architecture.toJson().toString());
        assertThat(read).isEqualTo(architecture);
        assertThat(read.toJson()).isEqualTo(architecture.toJson());
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> likely = Arbitraries.strings().withChars("ab=[],. -+e1234567890xX_:\t\n\u0001").ofMaxLength(40);
        Arbitrary<String> mutated = Combinators.combine(architectures(), Arbitraries.integers().between(0, 100),
                Arbitraries.strings().withChars("=[], .e-x9").ofMaxLength(3)).as((architecture, at, insert) -> {
                    String text = architecture.canonical();
                    int position = Math.min(at, text.length());
                    return text.substring(0, position) + insert + text.substring(Math.min(text.length(), position + insert.length() % 2));
                });
        return Arbitraries.oneOf(likely, mutated, Arbitraries.strings().ofMaxLength(30));
    }

    @Property(tries = 2000)
    void anyTextReadsAsAStableArchitectureOrIsRefused(@ForAll("texts") String text) {
        Architecture read;
        try {
            read = Architecture.parse(text);
        } catch (IllegalArgumentException e) {
            assertThat(e).hasMessageNotContaining("\n");
            return;
        }
        assertThat(Architecture.parse(read.canonical())).isEqualTo(read);
        assertThat(Architecture.parse(read.canonical()).canonical()).isEqualTo(read.canonical());
    }

    @Property(tries = 200)
    void aLongRunOfDigitsIsReadOrRefusedQuickly(@ForAll("digits") String digits) {
        long started = System.nanoTime();
        try {
            Architecture.parse("x=" + digits + "x");
        } catch (IllegalArgumentException e) {
            // refused: fine
        }
        assertThat(System.nanoTime() - started).isLessThan(1_000_000_000L);
    }

    @Provide
    Arbitrary<String> digits() {
        return Arbitraries.strings().withChars("0123456789").ofMinLength(1000).ofMaxLength(20_000);
    }

    @Property(tries = 50)
    void listsKeepTheirOrder(@ForAll("architectures") Architecture architecture) {
        for (String name : architecture.names()) {
            if (architecture.get(name) instanceof List<?> list) {
                assertThat(Architecture.parse(architecture.canonical()).getList(name)).hasSize(list.size());
            }
        }
    }
}

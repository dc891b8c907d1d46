package dev.creamery.asvit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creamery.api.InvalidArchitectureException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Topology strings: every topology reads back from its string and its architecture as itself, and
 * any text either reads as a topology whose string is stable or is refused with an
 * {@link InvalidArchitectureException} naming the field (an input error on the command line).
 */
class TopologyPropertyTest {
    @Provide
    Arbitrary<Topology> topologies() {
        Arbitrary<int[]> stage = Arbitraries.integers().between(1, 999_999).array(int[].class).ofSize(Topology.STAGES);
        Arbitrary<int[]> layers = Arbitraries.integers().between(1, 64).array(int[].class).ofSize(Topology.STAGES);
        Arbitrary<Topology> scaled = Combinators.combine(stage, stage, stage, layers, Arbitraries.integers().between(8, 999_999),
                Arbitraries.integers().between(1, 999_999)).as((k, s, e, l, h, d) -> new Topology(k, s, e, l, h, d, true));
        Arbitrary<Topology> unscaled = Combinators.combine(stage, stage, stage, Arbitraries.integers().between(8, 999_999))
                .as((k, s, e, h) -> new Topology(k, s, e, new int[] {1, 1, 1, 1}, h, Topology.DEFAULT_HIDDEN_SIZE, false));
        return Arbitraries.oneOf(scaled, unscaled);
    }

    @Property(tries = 1000)
    void readsBackFromItsStringAndItsArchitecture(@ForAll("topologies") Topology topology) {
        Topology read = Topology.parse(topology.format());
        assertThat(read).isEqualTo(topology);
        assertThat(read.format()).isEqualTo(topology.format());
        assertThat(Topology.of(topology.toArchitecture())).isEqualTo(topology);
        assertThat(Topology.of(dev.creamery.api.Architecture.parse(topology.toArchitecture().canonical()))).isEqualTo(topology);
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> likely = Arbitraries.strings().withChars("0123456789,| -x\n\t").ofMaxLength(40);
        Arbitrary<String> mutated = Combinators.combine(topologies(), Arbitraries.integers().between(0, 60),
                Arbitraries.strings().withChars("0,| 9-").ofMaxLength(2), Arbitraries.integers().between(0, 2))
                .as((topology, at, insert, drop) -> {
                    String text = topology.format();
                    int position = Math.min(at, text.length());
                    return text.substring(0, position) + insert + text.substring(Math.min(text.length(), position + drop));
                });
        return Arbitraries.oneOf(likely, mutated, Arbitraries.strings().ofMaxLength(30));
    }

    @Property(tries = 3000)
    void anyTextReadsAsAStableTopologyOrIsRefused(@ForAll("texts") String text) {
        Topology read;
        try {
            read = Topology.parse(text);
        } catch (InvalidArchitectureException e) {
            assertThat(e.dimension()).isNotBlank();
            assertThat(e).hasMessageNotContaining("\n");
            return;
        }
        assertThat(Topology.parse(read.format())).isEqualTo(read);
        assertThat(Topology.parse(read.format()).format()).isEqualTo(read.format());
    }
}

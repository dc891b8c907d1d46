package dev.creamery.asvit;

import static dev.creamery.testkit.Generated.anyString;
import static dev.creamery.testkit.Generated.check;
import static dev.creamery.testkit.Generated.intBetween;
import static dev.creamery.testkit.Generated.oneOf;
import static dev.creamery.testkit.Generated.string;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creamery.api.InvalidArchitectureException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Topology strings: every topology reads back from its string and its architecture as itself, and
 * any text either reads as a topology whose string is stable or is refused with an
 * {@link InvalidArchitectureException} naming the field (an input error on the command line).
 */
class TopologyPropertyTest {
    private static int[] stage(SplittableRandom random, int min, int max) {
        int[] values = new int[Topology.STAGES];
        for (int i = 0; i < values.length; i++) {
            values[i] = intBetween(random, min, max);
        }
        return values;
    }

    private static Topology topology(SplittableRandom random) {
        return oneOf(random,
                scaled -> new Topology(stage(scaled, 1, 999_999), stage(scaled, 1, 999_999), stage(scaled, 1, 999_999), stage(scaled, 1, 64),
                        intBetween(scaled, 8, 999_999), intBetween(scaled, 1, 999_999), true),
                unscaled -> new Topology(stage(unscaled, 1, 999_999), stage(unscaled, 1, 999_999), stage(unscaled, 1, 999_999),
                        new int[] {1, 1, 1, 1}, intBetween(unscaled, 8, 999_999), Topology.DEFAULT_HIDDEN_SIZE, false));
    }

    @Test
    void readsBackFromItsStringAndItsArchitecture() {
        check(1000, TopologyPropertyTest::topology, topology -> {
            Topology read = Topology.parse(topology.format());
            assertThat(read).isEqualTo(topology);
            assertThat(read.format()).isEqualTo(topology.format());
            assertThat(Topology.of(topology.toArchitecture())).isEqualTo(topology);
            assertThat(Topology.of(dev.creamery.api.Architecture.parse(topology.toArchitecture().canonical()))).isEqualTo(topology);
        });
    }

    /** Text of the topology alphabet, a topology's string with a few characters dropped and inserted, or any text. */
    private static String text(SplittableRandom random) {
        return oneOf(random, likely -> string(likely, "0123456789,| -x\n\t", 0, 40), mutated -> {
            String text = topology(mutated).format();
            int position = Math.min(intBetween(mutated, 0, 60), text.length());
            String insert = string(mutated, "0,| 9-", 0, 2);
            int drop = intBetween(mutated, 0, 2);
            return text.substring(0, position) + insert + text.substring(Math.min(text.length(), position + drop));
        }, any -> anyString(any, 0, 30));
    }

    @Test
    void anyTextReadsAsAStableTopologyOrIsRefused() {
        check(3000, TopologyPropertyTest::text, text -> {
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
        });
    }
}

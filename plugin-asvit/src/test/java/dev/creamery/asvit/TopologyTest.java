package dev.creamery.asvit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creamery.api.Architecture;
import dev.creamery.api.InvalidArchitectureException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopologyTest {
    private final AsVitSpace space = new AsVitSpace();

    @Test
    void decodesTheReadmeStringsAsTheOfficialStructure() {
        Topology seed = Topology.parse(AsVitFamily.SEED);
        assertThat(seed.kernels()).containsExactly(8, 4, 4, 4);
        assertThat(seed.splits()).containsExactly(2, 1, 1, 1);
        assertThat(seed.expansions()).containsExactly(3, 2, 4, 6);
        assertThat(seed.layers()).containsExactly(1, 1, 1, 1);
        assertThat(seed.stageHeads()).containsExactly(4, 8, 16, 32);
        assertThat(seed.hiddenSize()).isEqualTo(32);
        Topology large = Topology.parse(AsVitFamily.LARGE);
        assertThat(large.layers()).containsExactly(5, 2, 5, 2);
        assertThat(large.hiddenSize()).isEqualTo(180);
        assertThat(large.features()).isEqualTo(1024);
        assertThat(space.size()).isEqualTo(java.math.BigInteger.valueOf(4_556_250));
        assertThat(space.parse(AsVitFamily.SEED).canonical()).isEqualTo(
                "kernel1=8 split1=2 expansion1=3 kernel2=4 split2=1 expansion2=2 kernel3=4 split3=1 expansion3=4 kernel4=4 split4=1 "
                        + "expansion4=6 heads=32");
    }

    @Test
    void stringsAndArchitecturesRoundTrip() {
        for (String text : new String[] {AsVitFamily.SEED, AsVitFamily.LARGE, "4,8,2,3|2,4,6,1|3,2,5,2|2,1,3,3|64,36"}) {
            Architecture architecture = space.parse(text);
            assertThat(space.format(architecture)).isEqualTo(text);
            assertThat(space.parse(space.format(architecture))).isEqualTo(architecture);
            assertThat(new AsVitFamily().parse(text)).isEqualTo(architecture);
        }
        Random random = new Random(3);
        for (int i = 0; i < 100; i++) {
            Architecture sample = space.sample(random);
            assertThat(space.parse(space.format(sample))).isEqualTo(sample);
            Architecture scaled = Topology.of(sample).withScale(new int[] {1 + i % 3, 2, 3, 1}, 8 + i).toArchitecture();
            assertThat(space.parse(space.format(scaled))).isEqualTo(scaled);
            assertThat(space.mutate(scaled, random, new dev.creamery.api.MutationRates(0.2, 0.4)).get("hidden_size")).isEqualTo(8L + i);
        }
    }

    @Test
    void malformedStringsNameTheFieldAndTheAllowedValues() {
        assertThatThrownBy(() -> space.parse("8,2,3|4,1,2|4,1,4|32"))
                .isInstanceOf(InvalidArchitectureException.class).hasMessageContaining("4 fields").hasMessageContaining("K,S,E");
        assertThatThrownBy(() -> space.parse("8,2|4,1,2|4,1,4|4,1,6|32"))
                .isInstanceOf(InvalidArchitectureException.class).hasMessageContaining("stage 1").hasMessageContaining("K,S,E");
        assertThatThrownBy(() -> space.parse("8,x,3|4,1,2|4,1,4|4,1,6|32"))
                .isInstanceOf(InvalidArchitectureException.class).hasMessageContaining("split1").hasMessageContaining("positive whole");
        assertThatThrownBy(() -> space.parse("9,2,3|4,1,2|4,1,4|4,1,6|32"))
                .isInstanceOf(InvalidArchitectureException.class).hasMessageContaining("kernel1")
                .hasMessageContaining("[4, 5, 6, 7, 8]");
        assertThatThrownBy(() -> space.parse("8,2,3|4,1,2|4,1,4|4,2,6|32"))
                .isInstanceOf(InvalidArchitectureException.class).hasMessageContaining("split4").hasMessageContaining("[1]");
        assertThatThrownBy(() -> space.parse("8,2,3|4,1,2|4,1,4|4,1,6|48"))
                .isInstanceOf(InvalidArchitectureException.class).hasMessageContaining("heads").hasMessageContaining("[16, 32, 64]");
        assertThatThrownBy(() -> space.parse("8,2,3,5|4,1,2|4,1,4,5|4,1,6,2|32,180"))
                .isInstanceOf(InvalidArchitectureException.class).hasMessageContaining("layers2");
        assertThatThrownBy(() -> space.parse("8,2,3,5|4,1,2,2|4,1,4,5|4,1,6,2|32"))
                .isInstanceOf(InvalidArchitectureException.class).hasMessageContaining("H,D");
        assertThatThrownBy(() -> space.parse("8,2,3,5|4,1,2,2|4,1,4,5|4,1,6,2|64,4"))
                .isInstanceOf(InvalidArchitectureException.class).hasMessageContaining("hidden_size").hasMessageContaining("at least 8");
        assertThatThrownBy(() -> new AsVitFamily().build(new AsVitFamily().parse("8,3,3|4,1,2|4,1,4|4,1,6|32"),
                dev.creamery.api.Task.square(3, 224, 1000)))
                .isInstanceOf(InvalidArchitectureException.class).hasMessageContaining("split1 = 3").hasMessageContaining("56x56");
    }
}

package dev.creamery.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.nn.Block;
import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DimensionSpaceTest {
    /** AutoFormer-T's search space, as the official evolution encodes it. */
    private final SearchSpace space = new DimensionSpace() {
        @Override
        public List<Dimension> dimensions() {
            return List.of(Dimension.structural("depth", List.of(12, 13, 14)),
                    Dimension.perLayer("mlp_ratio", "depth", List.of(3.5, 4)),
                    Dimension.perLayer("num_heads", "depth", List.of(3, 4)),
                    Dimension.structural("embed_dim", List.of(192, 216, 240)));
        }

        @Override
        public Complexity complexity(Architecture architecture, Task task) {
            return new Complexity(architecture.getInt("embed_dim") * architecture.getInt("depth"), 1);
        }

        @Override
        public Block build(Architecture architecture, Task task) {
            throw new AssertionError("not built in this test");
        }
    };

    @Test
    void sizeCountsEveryMember() {
        BigInteger perDepth12 = BigInteger.valueOf(4).pow(12);
        BigInteger expected = perDepth12.add(BigInteger.valueOf(4).pow(13)).add(BigInteger.valueOf(4).pow(14))
                .multiply(BigInteger.valueOf(3));
        assertThat(space.size()).isEqualTo(expected);
    }

    @Test
    void samplesHaveOneEntryPerLayer() {
        Random random = new Random(0);
        for (int i = 0; i < 100; i++) {
            Architecture a = space.sample(random);
            space.validate(a);
            assertThat(a.getList("mlp_ratio")).hasSize(a.getInt("depth"));
        }
    }

    @Test
    void mutationResizesLayersWithDepth() {
        Random random = new Random(1);
        Architecture parent = space.smallest();
        boolean grew = false;
        for (int i = 0; i < 200; i++) {
            Architecture child = space.mutate(parent, random, new MutationRates(0.2, 0.4));
            space.validate(child);
            assertThat(child).isNotEqualTo(parent);
            grew |= child.getInt("depth") > 12;
        }
        assertThat(grew).isTrue();
    }

    @Test
    void mutationWithZeroRatesOnlyEverRedrawsUntilChanged() {
        Architecture parent = space.largest();
        Architecture child = space.mutate(parent, new Random(2), new MutationRates(0, 1));
        assertThat(child.getList("mlp_ratio")).isEqualTo(parent.getList("mlp_ratio").subList(0, child.getInt("depth")));
    }

    @Test
    void crossoverNeedsEqualDepths() {
        Random random = new Random(3);
        Architecture a = space.smallest();
        Architecture b = space.largest();
        assertThat(space.crossover(a, b, random)).isEmpty();
        Architecture c = b.toBuilder().put("depth", 12).put("mlp_ratio", a.getList("mlp_ratio").stream().map(x -> 4).toList())
                .put("num_heads", a.getList("num_heads").stream().map(x -> 4).toList()).build();
        Architecture child = space.crossover(a, c, random).orElseThrow();
        space.validate(child);
        assertThat(child.getDoubleList("mlp_ratio")).containsAnyOf(3.5).containsAnyOf(4.0);
    }

    @Test
    void validationNamesDimensionAndAllowedValues() {
        Architecture wrongLength = space.smallest().toBuilder().put("depth", 13).build();
        assertThatThrownBy(() -> space.validate(wrongLength)).isInstanceOf(InvalidArchitectureException.class)
                .hasMessageContaining("mlp_ratio").hasMessageContaining("depth = 13");
        Architecture wrongValue = space.smallest().toBuilder().put("embed_dim", 100).build();
        assertThatThrownBy(() -> space.validate(wrongValue)).hasMessageContaining("embed_dim")
                .hasMessageContaining("[192, 216, 240]");
        assertThatThrownBy(() -> space.parse("depth=12 bogus=1")).hasMessageContaining("bogus");
    }
}

package dev.creamery.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.creamery.api.Architecture;
import dev.creamery.api.InvalidArchitectureException;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.api.nn.DropPath;
import org.junit.jupiter.api.Test;

/** The shared pieces: bias index, drop path, input sizes, architecture checks. */
class ModulesTest {
    /**
     * A 2x2 window, points (0,0) (0,1) (1,0) (1,1): offsets (0,0)=0, (0,1)=1, (1,0)=2, (1,1)=3 numbered in
     * the order the official double loop meets them.
     */
    @Test
    void biasIndexNumbersOffsetsInFirstSeenOrder() {
        assertThat(AttentionBias.offsets(2)).containsExactly(
                0, 1, 2, 3,
                1, 0, 3, 2,
                2, 3, 0, 1,
                3, 2, 1, 0);
        long[] seven = AttentionBias.offsets(7);
        assertThat(java.util.Arrays.stream(seven).distinct().sorted().toArray())
                .containsExactly(java.util.stream.LongStream.range(0, 49).toArray());
    }

    @Test
    void dropPathDropsWholeSamplesAndKeepsTheMean() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray ones = manager.ones(new Shape(20_000, 2, 3));
            NDArray dropped = DropPath.apply(ones, 0.25, true);
            float[] perSample = dropped.get(":, 0, 0").toFloatArray();
            for (float v : perSample) {
                assertThat(v).isIn(0f, 1f / 0.75f);
            }
            assertThat(dropped.sub(dropped.get(":, :1, :1")).abs().max().getFloat()).isZero();
            assertThat(dropped.mean().getFloat()).isCloseTo(1f, within(0.03f));
            assertThat(DropPath.apply(ones, 0.25, false)).isSameAs(ones);
        }
    }

    @Test
    void smallAndOddSidesRunAtTheNextSideTheArchitectureTakes() {
        assertThat(InputSize.of(Task.square(1, 28, 10), 16, 80, "efficientvit").working()).isEqualTo(80);
        assertThat(InputSize.of(Task.square(1, 28, 10), 32, 64, "tinyvit").working()).isEqualTo(64);
        assertThat(InputSize.of(Task.square(3, 100, 10), 16, 80, "efficientvit").working()).isEqualTo(112);
        assertThat(InputSize.of(Task.square(3, 224, 10), 32, 64, "tinyvit").resizes()).isFalse();
        assertThat(InputSize.of(Task.square(3, 32, 10), 16, 1, "efficientvit").working()).isEqualTo(32);
        assertThatThrownBy(() -> InputSize.of(new Task(3, 32, 48, 10, java.util.List.of()), 16, 80, "efficientvit"))
                .hasMessage("efficientvit takes square images; the task has 32x48");
        try (NDManager manager = NDManager.newBaseManager()) {
            InputSize size = InputSize.of(Task.square(1, 28, 10), 16, 80, "efficientvit");
            assertThat(size.fit(manager.ones(new Shape(2, 1, 28, 28))).getShape()).isEqualTo(new Shape(2, 1, 80, 80));
            assertThatThrownBy(() -> size.fit(manager.ones(new Shape(2, 3, 28, 28))))
                    .hasMessage("the model takes images of shape (N, 1, 28, 28), got (2, 3, 28, 28)");
        }
    }

    @Test
    void architecturesRoundTripAndAreChecked() {
        ModelFamily efficientVit = new EfficientVitFamily(ReferenceConf.efficientVit());
        ModelFamily tinyVit = new TinyVitFamily(ReferenceConf.tinyVit());
        for (ModelFamily family : new ModelFamily[] {efficientVit, tinyVit}) {
            for (Variant v : family.variants()) {
                assertThat(family.parse(v.architecture().canonical())).isEqualTo(v.architecture());
            }
        }
        Architecture m0 = efficientVit.variant("efficientvit-m0").architecture();
        Task task = Task.square(3, 224, 1000);
        assertThatThrownBy(() -> efficientVit.build(m0.toBuilder().put("embed_dims", java.util.List.of(64)).build(), task))
                .isInstanceOf(InvalidArchitectureException.class).hasMessageContaining("no dimension 'embed_dims'");
        assertThatThrownBy(() -> efficientVit.build(m0.toBuilder().put("num_heads", java.util.List.of(3, 4, 4)).build(), task))
                .isInstanceOf(InvalidArchitectureException.class).hasMessageContaining("stage 0: embed_dim 64");
        assertThatThrownBy(() -> efficientVit.build(m0.toBuilder().put("kernels", java.util.List.of(5, 5, 4, 5)).build(), task))
                .isInstanceOf(InvalidArchitectureException.class).hasMessageContaining("odd");
        Architecture t5 = tinyVit.variant("tinyvit-5m").architecture();
        assertThatThrownBy(() -> tinyVit.build(t5.toBuilder().put("depths", java.util.List.of(2, 2, 6)).build(), task))
                .isInstanceOf(InvalidArchitectureException.class).hasMessage("dimension 'depths' needs 4 values, got 3");
        assertThatThrownBy(() -> efficientVit.variant("efficientvit-m9"))
                .hasMessageContaining("efficientvit-m0, efficientvit-m1");
    }
}

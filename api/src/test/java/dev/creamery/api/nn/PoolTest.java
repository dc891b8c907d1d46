package dev.creamery.api.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The average over a window's positions inside the map, as PyTorch's {@code count_include_pad=False}. */
class PoolTest {
    @Test
    void averagesOnlyThePositionsInsideTheMap() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // 0 1 2 / 3 4 5 / 6 7 8: a 3x3 window of padding 1 at the corner sees 0, 1, 3, 4.
            float[] out = Pool.averageInside(manager.arange(9f).reshape(1, 1, 3, 3), 3, 1, 1).toFloatArray();
            assertThat(out[0]).isCloseTo((0 + 1 + 3 + 4) / 4f, within(1e-6f));
            assertThat(out[1]).isCloseTo((0 + 1 + 2 + 3 + 4 + 5) / 6f, within(1e-6f));
            assertThat(out[4]).isCloseTo(4f, within(1e-6f));
            float[] strided = Pool.averageInside(manager.ones(new Shape(2, 3, 6, 6)), 3, 2, 1).toFloatArray();
            assertThat(strided).hasSize(2 * 3 * 3 * 3).containsOnly(1f);
        }
    }
}

package dev.creamery.api.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * At inference a scoped module frees the arrays it makes on the way and leaves only its output
 * beside its input; a training pass and a pass that records layers keep them; a scoped sequence does the
 * same per module.
 */
class ScopedApplyTest {
    /** Four arrays on the way to its output: {@code exp(2x + 1) - x}. */
    private static final class Steps extends Module {
        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            return x.mul(2).add(1).exp().sub(x);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            return input;
        }
    }

    @Test
    void inferenceKeepsOnlyTheInputAndTheOutput() {
        try (NDManager root = NDManager.newBaseManager(); NDManager pass = root.newSubManager()) {
            ParameterStore store = new ParameterStore(root, false);
            NDArray x = pass.create(new float[] {0, 0.5f, -1});
            NDArray y = new Steps().applyScoped(store, x, false);
            assertThat(((BaseNDManager) pass).getManagedArrays()).containsExactlyInAnyOrder(x, y);
            assertThat(x.isReleased()).isFalse();
            assertThat(y.toFloatArray()).containsExactly(new float[] {(float) Math.E, (float) Math.exp(2) - 0.5f, (float) Math.exp(-1) + 1},
                    org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void aTrainingPassKeepsWhatItMade() {
        try (NDManager root = NDManager.newBaseManager(); NDManager pass = root.newSubManager()) {
            ParameterStore store = new ParameterStore(root, false);
            NDArray x = pass.create(new float[] {0, 0.5f, -1});
            new Steps().applyScoped(store, x, true);
            assertThat(((BaseNDManager) pass).getManagedArrays()).hasSize(5);
        }
    }

    @Test
    void aPassThatRecordsLayersKeepsWhatItMade() {
        try (NDManager root = NDManager.newBaseManager(); NDManager pass = root.newSubManager(); Taps taps = Taps.record(List.of(0))) {
            ParameterStore store = new ParameterStore(root, false);
            NDArray x = pass.create(new float[] {0, 0.5f, -1});
            Sequential.scoped().add(new Steps()).apply(store, new Steps().applyScoped(store, x, false), false);
            assertThat(((BaseNDManager) pass).getManagedArrays()).hasSize(9);
        }
    }

    @Test
    void aScopedSequenceFreesEachModulesArraysAndAPlainOneKeepsThem() {
        try (NDManager root = NDManager.newBaseManager(); NDManager pass = root.newSubManager(); NDManager plain = root.newSubManager()) {
            ParameterStore store = new ParameterStore(root, false);
            Sequential scoped = Sequential.scoped().add(new Steps()).add(new Steps());
            NDArray x = pass.create(new float[] {0.1f, 0.2f});
            NDArray y = scoped.apply(store, x, false);
            assertThat(((BaseNDManager) pass).getManagedArrays()).containsExactlyInAnyOrder(x, y);

            NDArray same = plain.create(new float[] {0.1f, 0.2f});
            NDArray expected = new Sequential(new Steps(), new Steps()).apply(store, same, false);
            assertThat(((BaseNDManager) plain).getManagedArrays()).hasSize(9);
            assertThat(y.toFloatArray()).containsExactly(expected.toFloatArray());
        }
    }
}

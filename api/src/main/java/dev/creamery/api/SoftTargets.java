package dev.creamery.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.creamery.api.nn.Taps;
import java.util.List;

/**
 * Probabilities the shared training loop learns from besides or instead of the labels: a teacher's
 * soft labels, read from a store (TinyViT's fast distillation) or computed as training goes (a
 * teacher network, another path of a supernet). Given to {@link Training#fit} through
 * {@link FitOptions#softTargets}. Targets computed as training goes may weigh each step themselves
 * ({@link #weight}), learn from the labels alone in some steps ({@link #of} returns null) and hear how
 * each step went ({@link #afterStep}): Cream's prioritized paths distil from a board of paths that
 * the steps themselves fill. A teacher run on the batch may also teach through the student's
 * intermediates ({@link #studentLayers}, {@link #relations}): MiniViT's weight distillation.
 */
public interface SoftTargets extends AutoCloseable {
    /**
     * @param scope the step's manager; the result belongs to it
     * @param epoch the epoch, from 1
     * @param batch the batch, augmented
     * @param augmentationSeeds the seed each example's augmentation was drawn from
     * @return {@code (N, classes)} float32 target probabilities, one row per example of the batch, or
     *     null to learn from the labels alone in this step
     */
    NDArray of(NDManager scope, int epoch, Batch batch, long[] augmentationSeeds);

    /**
     * The targets' share of this step's loss, asked right after {@link #of} gave targets for the batch.
     *
     * @param configured the weight given to {@link FitOptions#softTargets}
     * @return the weight of this step, in (0, 1]; by default the configured one
     */
    default double weight(double configured) {
        return configured;
    }

    /**
     * The temperature of this step's targets: {@link #of} gave probabilities at it, and the student's
     * logits are divided by it before their cross-entropy with them (MiniViT's prediction-logit
     * distillation). 1 by default.
     *
     * @return the temperature, positive
     */
    default double temperature() {
        return 1;
    }

    /**
     * The student's layers whose intermediates {@link #relations} learns from, counted as
     * {@link Taps} counts them; none by default. The training loop records them during the step's
     * forward pass.
     *
     * @return the layers, or an empty list
     */
    default List<Integer> studentLayers() {
        return List.of();
    }

    /**
     * A loss on the student's intermediates added to this step's loss, after {@link #of} gave the
     * step's targets; asked only if {@link #studentLayers} is not empty. It is part of what the
     * step differentiates, so it must be built from the recorded arrays.
     *
     * @param student the student's recording of the step's forward pass
     * @return a scalar loss, weighted as it is to be added
     */
    default NDArray relations(Taps student) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " asks for no student layers");
    }

    /**
     * Told after every step how the model did on the batch it learned from; by default ignored.
     *
     * @param scope the step's manager (the batch is still open)
     * @param batch the step's batch
     * @param correct examples whose top logit was the label in the step's forward pass (before the update)
     */
    default void afterStep(NDManager scope, Batch batch, long correct) {}

    /** Releases files or models the targets hold; by default there are none. */
    @Override
    default void close() {}
}

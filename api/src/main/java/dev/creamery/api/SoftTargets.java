package dev.creamery.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Probabilities the shared training loop learns from besides or instead of the labels: a teacher's
 * soft labels, read from a store (TinyViT's fast distillation) or computed as training goes (a
 * teacher network, another path of a supernet). Given to {@link Training#fit} through
 * {@link FitOptions#softTargets}. Targets computed as training goes may weigh each step themselves
 * ({@link #weight}), learn from the labels alone in some steps ({@link #of} returns null) and hear how
 * each step went ({@link #afterStep}): Cream's prioritized paths distil from a board of paths that
 * the steps themselves fill.
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

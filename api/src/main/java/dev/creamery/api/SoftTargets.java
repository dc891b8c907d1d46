package dev.creamery.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Probabilities the shared training loop learns from besides or instead of the labels: a teacher's
 * soft labels, read from a store (TinyViT's fast distillation) or computed as training goes (a
 * teacher network, another path of a supernet). Given to {@link Training#fit} through
 * {@link FitOptions#softTargets}.
 */
public interface SoftTargets extends AutoCloseable {
    /**
     * @param scope the step's manager; the result belongs to it
     * @param epoch the epoch, from 1
     * @param batch the batch, augmented
     * @param augmentationSeeds the seed each example's augmentation was drawn from
     * @return {@code (N, classes)} float32 target probabilities, one row per example of the batch
     */
    NDArray of(NDManager scope, int epoch, Batch batch, long[] augmentationSeeds);

    /** Releases files or models the targets hold; by default there are none. */
    @Override
    default void close() {}
}

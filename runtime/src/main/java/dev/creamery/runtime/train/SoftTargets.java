package dev.creamery.runtime.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.creamery.api.Batch;

/**
 * Probabilities the training loop learns from instead of the labels: a teacher's soft labels, read
 * from a store or computed as training goes.
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

    /** Releases files or models the targets hold. */
    @Override
    void close();
}

package dev.creamery.api;

import ai.djl.ndarray.NDArray;

/**
 * A batch of examples.
 *
 * @param images float32 {@code (N, C, H, W)}, normalised
 * @param labels int64 {@code (N)}
 * @param indices the example indices in their split, in batch order
 */
public record Batch(NDArray images, NDArray labels, int[] indices) {
    /** @return the number of examples */
    public int size() {
        return indices.length;
    }
}

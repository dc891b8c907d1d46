package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Global pooling as the official heads and gates do it. */
public final class Pool {
    private Pool() {}

    /**
     * {@code adaptive_avg_pool2d(x, 1)}: the mean over positions (the engine averages one axis at a
     * time, so the positions are flattened first).
     *
     * @param x {@code (B, C, H, W)}
     * @return {@code (B, C, 1, 1)}
     */
    public static NDArray spatialMean(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), s.get(2) * s.get(3)).mean(new int[] {2}, true).expandDims(3);
    }
}

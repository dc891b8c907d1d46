package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Pooling as the official models do it where the engine's own differs. */
public final class Pool {
    private Pool() {}

    /**
     * PyTorch's {@code avg_pool2d(x, kernel, stride, padding, count_include_pad=False)}: each
     * window's mean over the positions inside the map. DJL's PyTorch engine (0.35.0) ignores
     * {@code avgPool2d}'s {@code countIncludePad} and always counts the padding, so the padded mean
     * is divided by the share of each window that lies inside the map.
     *
     * @param x {@code (B, C, H, W)}
     * @param kernel the window's side
     * @param stride the stride
     * @param padding the padding on each side
     * @return the pooled map
     */
    public static NDArray averageInside(NDArray x, int kernel, int stride, int padding) {
        Shape window = new Shape(kernel, kernel);
        Shape strides = new Shape(stride, stride);
        Shape pad = new Shape(padding, padding);
        NDArray mean = ai.djl.nn.pooling.Pool.avgPool2d(x, window, strides, pad, false, true);
        if (padding == 0) {
            return mean;
        }
        Shape s = x.getShape();
        NDArray inside = ai.djl.nn.pooling.Pool.avgPool2d(x.getManager().ones(new Shape(1, 1, s.get(2), s.get(3)), x.getDataType()),
                window, strides, pad, false, true);
        return mean.div(inside);
    }

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

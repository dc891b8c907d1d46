package dev.creamery.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.creamery.api.nn.BatchNorm;
import dev.creamery.api.nn.Conv2d;
import dev.creamery.api.nn.ConvNorm;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;

/**
 * The official {@code Conv2d_BN} of EfficientViT and TinyViT (from LeViT): a convolution without bias
 * ({@code c}) followed by batch norm ({@code bn}); prepared for inference, the two fold into one, as
 * the official {@code fuse}.
 */
final class Conv2dBN extends Module {
    private final Conv2d c;
    private final BatchNorm bn;
    private final ConvNorm pair;

    Conv2dBN(int in, int out, int kernel, int stride, int padding, int groups, float bnWeightInit) {
        c = addChildBlock("c", new Conv2d(in, out, kernel, stride, padding, groups, false));
        bn = addChildBlock("bn", new BatchNorm(out, bnWeightInit));
        pair = new ConvNorm(c, bn);
    }

    /** A 1x1 convolution with batch norm starting at scale 1. */
    static Conv2dBN pointwise(int in, int out) {
        return new Conv2dBN(in, out, 1, 1, 0, 1, 1f);
    }

    /** A depthwise convolution of odd {@code kernel}, stride 1, keeping the size. */
    static Conv2dBN depthwise(int channels, int kernel, float bnWeightInit) {
        return new Conv2dBN(channels, channels, kernel, 1, kernel / 2, channels, bnWeightInit);
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        return pair.apply(store, x, training);
    }

    @Override
    public void prepareInference() {
        pair.prepare(1);
    }

    /**
     * Prepares inference with a constant factor on the output folded in too.
     *
     * @param factor the factor
     */
    void prepareInference(double factor) {
        pair.prepare(factor);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        return bn.trace(c.trace(input, macs), macs);
    }
}

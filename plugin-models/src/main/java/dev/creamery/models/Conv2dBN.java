package dev.creamery.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.creamery.api.nn.BatchNorm;
import dev.creamery.api.nn.Conv2d;
import dev.creamery.api.nn.FoldedConv;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;

/**
 * The official {@code Conv2d_BN} of EfficientViT and TinyViT (from LeViT): a convolution without bias
 * ({@code c}) followed by batch norm ({@code bn}).
 */
final class Conv2dBN extends Module {
    private final Conv2d c;
    private final BatchNorm bn;
    /** The prepared inference form; null until {@link #prepareInference()} and after a training pass. */
    private FoldedConv folded;

    Conv2dBN(int in, int out, int kernel, int stride, int padding, int groups, float bnWeightInit) {
        c = addChildBlock("c", new Conv2d(in, out, kernel, stride, padding, groups, false));
        bn = addChildBlock("bn", new BatchNorm(out, bnWeightInit));
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
        if (folded != null) {
            if (!training) {
                return folded.apply(x);
            }
            folded.close();
            folded = null;
        }
        return bn.apply(store, c.apply(store, x, training), training);
    }

    /** The official {@code fuse}: the norm folded into the convolution. */
    @Override
    public void prepareInference() {
        prepareInference(1);
    }

    /**
     * @param factor a constant the output is multiplied by, folded in as well (1 for none)
     */
    void prepareInference(double factor) {
        if (folded != null) {
            folded.close();
        }
        folded = FoldedConv.of(c, bn, factor);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        return bn.trace(c.trace(input, macs), macs);
    }
}

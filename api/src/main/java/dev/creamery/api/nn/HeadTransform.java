package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;

/**
 * MiniViT's weight transformation in attention (Zhang et al., CVPR 2022): a linear map across the
 * heads, {@code a'[h'] = Σ_h W[h', h] a[h]} at every pair of tokens, the official 1x1 convolution
 * without bias over the head axis ({@code conv_l} on the logits before the softmax, {@code conv_w} on
 * the weights after it, not renormalised). Multiplexed blocks share their attention's projections and
 * keep one transformation each, so the shared weights act differently in every use.
 */
public final class HeadTransform extends Module implements PositionEncoding {
    /** Where the transformation acts. */
    public enum Place {
        /** On the logits, after the other logit terms ({@code conv_l}). */
        LOGITS,
        /** On the attention weights, after the softmax ({@code conv_w}). */
        WEIGHTS
    }

    private final Place place;
    private final int heads;
    private final Parameter weight;

    /**
     * @param heads the attention's heads
     * @param place where it acts
     */
    public HeadTransform(int heads, Place place) {
        this.heads = heads;
        this.place = place;
        // The official init_weights: trunc_normal_(std=.02) on each convolution.
        weight = parameter("weight", Parameter.Type.WEIGHT, new Shape(heads, heads, 1, 1), new TruncatedNormalInitializer(0.02f), true);
    }

    @Override
    public NDArray logits(ParameterStore store, NDArray logits, NDArray q, NDArray k, boolean training) {
        return place == Place.LOGITS ? mix(store, logits, training) : logits;
    }

    @Override
    public NDArray weights(ParameterStore store, NDArray attention, boolean training) {
        return place == Place.WEIGHTS ? mix(store, attention, training) : attention;
    }

    @Override
    public void trace(Shape queries, Shape keys, Shape values, Macs macs) {
        macs.add(queries.get(0) * heads * (long) heads * queries.get(2) * keys.get(2));
    }

    /** Heads last, a linear layer over them, heads back in place: the 1x1 convolution's sums. */
    private NDArray mix(ParameterStore store, NDArray x, boolean training) {
        NDArray w = store.getValue(weight, x.getDevice(), training).reshape(heads, heads);
        NDArray headsLast = x.transpose(0, 2, 3, 1);
        return headsLast.getNDArrayInternal().linear(headsLast, w, null).singletonOrThrow().transpose(0, 3, 1, 2);
    }

    /** The transformation alone, on {@code (B, heads, N, M)}. */
    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        return mix(store, x, training);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        macs.add(input.size() * heads);
        return input;
    }
}

package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * timm's {@code Attention}, the self-attention of DeiT, As-ViT and the models built on them:
 * {@code qkv} projects to the queries, keys and values of every head (laid out
 * {@code [q | k | v]}, each head after head), {@link Attention} runs them with the position
 * encodings added by {@link #encoding}, and {@code proj} projects the heads back. The heads' total
 * width may be below the embedding width (As-ViT's heads do not always divide it).
 */
public final class MultiHeadAttention extends Module {
    private final int heads;
    private final int headDim;
    private final double scale;
    private final Linear qkv;
    private final Linear proj;
    private final List<PositionEncoding> encodings = new ArrayList<>();

    /**
     * @param dim the embedding width
     * @param heads the number of heads
     * @param headDim the width of a head, scaled by {@code headDim^-0.5}
     */
    public MultiHeadAttention(int dim, int heads, int headDim) {
        this.heads = heads;
        this.headDim = headDim;
        this.scale = Math.pow(headDim, -0.5);
        qkv = addChildBlock("qkv", new Linear(dim, 3 * heads * headDim));
        proj = addChildBlock("proj", new Linear(heads * headDim, dim));
    }

    /**
     * Adds a position encoding that holds its parameters as a child module, under its official name
     * (iRPE's {@code rpe_k}, {@code rpe_v}); encodings apply in the order they are added.
     *
     * @param name the official attribute name
     * @param encoding the encoding
     * @param <E> a module that is a position encoding
     * @return the encoding
     */
    public <E extends Module & PositionEncoding> E encoding(String name, E encoding) {
        addChildBlock(name, encoding);
        encodings.add(encoding);
        return encoding;
    }

    /** @return the query-key-value projection */
    public Linear qkv() {
        return qkv;
    }

    /** @return the output projection */
    public Linear proj() {
        return proj;
    }

    /** @return the factor the queries are scaled by */
    public double scale() {
        return scale;
    }

    /**
     * The official {@code qkv.reshape(B, N, 3, heads, headDim).permute(2, 0, 3, 1, 4)}, for code that
     * runs the attention's algebra another way (As-ViT's forward-mode derivatives).
     *
     * @param projected the output of {@link #qkv()}, {@code (B, N, 3 * heads * headDim)}
     * @return {@code (3, B, heads, N, headDim)}: queries (unscaled), keys, values
     */
    public NDArray split(NDArray projected) {
        Shape s = projected.getShape();
        return projected.reshape(s.get(0), s.get(1), 3, heads, headDim).transpose(2, 0, 3, 1, 4);
    }

    /**
     * @param perHead {@code (B, heads, N, headDim)}
     * @return the heads side by side, {@code (B, N, heads * headDim)}, the input of {@link #proj()}
     */
    public NDArray merge(NDArray perHead) {
        Shape s = perHead.getShape();
        return perHead.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), (long) heads * headDim);
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        NDArray parts = split(qkv.apply(store, x, training));
        Taps.attention(parts.get(0), parts.get(1), parts.get(2));
        NDArray q = Scalars.times(parts.get(0), scale);
        return proj.apply(store, merge(Attention.attend(store, q, parts.get(1), parts.get(2), encodings, training)), training);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        qkv.trace(input, macs);
        Shape perHead = new Shape(input.get(0), heads, input.get(1), headDim);
        Attention.trace(perHead, perHead, perHead, encodings, macs);
        return proj.trace(new Shape(input.get(0), input.get(1), (long) heads * headDim), macs);
    }
}

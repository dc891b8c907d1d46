package dev.creamery.autoformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.creamery.api.nn.Attention;
import dev.creamery.api.nn.Irpe;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.PositionEncoding;
import dev.creamery.api.nn.RpeConfig;
import dev.creamery.api.nn.Scalars;
import dev.creamery.api.nn.Taps;
import java.util.ArrayList;
import java.util.List;

/**
 * AutoFormer's {@code AttentionSuper} in its {@code change_qkv} form, the one of the released
 * supernets: the active member has {@code heads} heads of a fixed width, so its query, key and value
 * width is {@code heads · headDim}, scaled by {@code headDim^-0.5}. With relative positions, the
 * logits gain {@code q_i · R_k[i, j]} and the output gains {@code Σ_j attn_ij R_v[i, j]}, each
 * from its own pair embeddings ({@code rel_pos_embed_k}, {@code rel_pos_embed_v}): the kit
 * attention's position encodings in iRPE's contextual mode. iRPE itself, if the space asks for it,
 * adds its encodings after these, under its official names ({@code rpe_q}, {@code rpe_k},
 * {@code rpe_v}); its tables are shared across heads, so every member reads them whole.
 */
final class SuperAttention extends Module {
    private final int headDim;
    private final int maxHeads;
    private final SuperLinear qkv;
    private final RelativePosition2d relativeK;
    private final RelativePosition2d relativeV;
    private final SuperLinear proj;
    private final List<PositionEncoding> encodings = new ArrayList<>();
    private final List<Irpe> irpe = new ArrayList<>();
    private int heads;

    /**
     * @param maxEmbed the largest embedding width
     * @param maxHeads the most heads
     * @param headDim the width of a head
     * @param relative the relative position settings, or null for none
     * @param rpe iRPE's configuration (shared across heads), or null for none
     */
    SuperAttention(int maxEmbed, int maxHeads, int headDim, RelativePositions relative, RpeConfig rpe) {
        this.headDim = headDim;
        this.maxHeads = maxHeads;
        qkv = addChildBlock("qkv", SuperLinear.qkv(maxEmbed, maxHeads * headDim, true));
        if (relative != null) {
            relativeK = addChildBlock("rel_pos_embed_k", new RelativePosition2d(relative.side(), relative.maxDistance(), headDim,
                    RelativePosition2d.Target.KEYS));
            relativeV = addChildBlock("rel_pos_embed_v", new RelativePosition2d(relative.side(), relative.maxDistance(), headDim,
                    RelativePosition2d.Target.VALUES));
            encodings.addAll(List.of(relativeK, relativeV));
        } else {
            relativeK = null;
            relativeV = null;
        }
        if (rpe != null) {
            rpe.encodings(maxHeads, headDim, Math.pow(headDim, -0.5)).forEach((name, encoding) -> {
                irpe.add(addChildBlock(name, encoding));
                encodings.add(encoding);
            });
        }
        proj = addChildBlock("proj", SuperLinear.of(maxHeads * headDim, maxEmbed));
        activate(maxEmbed, maxHeads);
    }

    /** The square patch grid and the clipping of offsets, for relative positions. */
    record RelativePositions(int side, int maxDistance) {}

    /**
     * @param embed the active embedding width
     * @param activeHeads the active number of heads
     */
    void activate(int embed, int activeHeads) {
        if (activeHeads < 1 || activeHeads > maxHeads) {
            throw new IllegalArgumentException("an attention of " + maxHeads + " heads cannot run " + activeHeads);
        }
        heads = activeHeads;
        qkv.activate(embed, 3 * heads * headDim);
        proj.activate(heads * headDim, embed);
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        Shape shape = x.getShape();
        long b = shape.get(0);
        long n = shape.get(1);
        NDArray parts = qkv.apply(store, x, training).reshape(b, n, 3, heads, headDim).transpose(2, 0, 3, 1, 4);
        NDList qkvList = parts.split(3, 0);
        NDArray k = qkvList.get(1).squeeze(0);
        NDArray v = qkvList.get(2).squeeze(0);
        Taps.attention(qkvList.get(0).squeeze(0), k, v);
        NDArray q = Scalars.times(qkvList.get(0).squeeze(0), Math.pow(headDim, -0.5));
        NDArray out = Attention.attend(store, q, k, v, encodings, training);
        return proj.apply(store, out.transpose(0, 2, 1, 3).reshape(b, n, (long) heads * headDim), training);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        long b = input.get(0);
        long n = input.get(1);
        qkv.trace(input, macs);
        Shape perHead = new Shape(b, heads, n, headDim);
        Attention.trace(perHead, perHead, perHead, encodings, macs);
        return proj.trace(input.slice(0, 2).add((long) heads * headDim), macs);
    }

    /** @return the parameters the active member reads */
    List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(List.of(qkv.parameters()));
        if (relativeK != null) {
            all.addAll(List.of(relativeK.parameters()));
            all.addAll(List.of(relativeV.parameters()));
        }
        irpe.forEach(encoding -> all.addAll(encoding.getParameters().values()));
        all.addAll(List.of(proj.parameters()));
        return all;
    }
}

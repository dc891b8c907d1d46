package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * What a position encoding adds to multi-head {@link Attention}, in the two places iRPE (Wu et al.,
 * ICCV 2021) distinguishes: the logits, before the softmax, and the output, after the weighted sum of
 * the values. Each mode of iRPE and each encoding of the papers here is one implementation:
 *
 * <ul>
 *   <li>bias mode: a learned scalar per head and relative position added to the logits (EfficientViT's
 *       and TinyViT's attention biases, Swin's and S3's relative position bias);
 *   <li>contextual mode on the keys: {@code q_i · r_ij} added to the logits (AutoFormer's
 *       {@code rel_pos_embed_k}, iRPE's {@code rpe_k});
 *   <li>contextual mode on the queries: {@code k_j · r_ij} added to the logits, the keys scaled as the
 *       queries are (iRPE's {@code rpe_q});
 *   <li>contextual mode on the values: {@code Σ_j a_ij r_ij} added to the output (AutoFormer's
 *       {@code rel_pos_embed_v}, iRPE's {@code rpe_v}).
 * </ul>
 *
 * Swin's shifted-window mask, which says where two tokens were before the shift, is a logit term of
 * the same kind, and so are MiniViT's linear transformations across heads, one before the softmax and
 * one after ({@link HeadTransform}). The attention applies its encodings in order, each to what the previous one
 * returned, so that the operations, and the floats, are those of the official code.
 *
 * <p>An encoding owns its tables: as a child module ({@code rel_pos_embed_k}) or as parameters it
 * declares on the attention module that holds it ({@code attention_biases}), whichever the official
 * {@code state_dict} names. Arrays it computes from parameters must join the manager of the
 * activations, as every op of a forward pass does.
 */
public interface PositionEncoding {
    /**
     * @param store where parameter values come from
     * @param logits {@code (B, heads, N, M)}: {@code q · kᵀ} plus the terms of earlier encodings
     * @param q the queries, already scaled, {@code (B, heads, N, d)}
     * @param k the keys, {@code (B, heads, M, d)}
     * @param training whether to run in training mode
     * @return the logits with this encoding's term added; by default unchanged
     */
    default NDArray logits(ParameterStore store, NDArray logits, NDArray q, NDArray k, boolean training) {
        return logits;
    }

    /**
     * MiniViT's weight transformation after the softmax acts here, on the weights that the values
     * and the output terms then see (the official {@code conv_w}, with no renormalisation).
     *
     * @param store where parameter values come from
     * @param attention the attention weights after the softmax and the transformations of earlier
     *     encodings, {@code (B, heads, N, M)}
     * @param training whether to run in training mode
     * @return the weights the values are summed with; by default unchanged
     */
    default NDArray weights(ParameterStore store, NDArray attention, boolean training) {
        return attention;
    }

    /**
     * @param store where parameter values come from
     * @param out {@code (B, heads, N, dv)}: the attention-weighted values plus the terms of earlier encodings
     * @param attention the attention weights after the softmax, {@code (B, heads, N, M)}
     * @param training whether to run in training mode
     * @return the output with this encoding's term added; by default unchanged
     */
    default NDArray output(ParameterStore store, NDArray out, NDArray attention, boolean training) {
        return out;
    }

    /**
     * Counts this encoding's multiply-accumulates (a contextual term is a product as large as
     * {@code q · kᵀ}; a bias or a mask costs none).
     *
     * @param queries the queries' shape {@code (B, heads, N, d)}
     * @param keys the keys' shape {@code (B, heads, M, d)}
     * @param values the values' shape {@code (B, heads, M, dv)}
     * @param macs receives the count
     */
    default void trace(Shape queries, Shape keys, Shape values, Macs macs) {}
}

package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * The core every attention of the papers shares, whatever its projections: {@code softmax(q · kᵀ +
 * logit terms) · v + output terms}, all heads in batched products, with the terms of its
 * {@link PositionEncoding}s. A module whose projections are its own (LeViT's per-head layout,
 * AutoFormer's entangled super-linears) calls it with its queries, keys and values; a standard one is
 * {@link MultiHeadAttention}.
 */
public final class Attention {
    private Attention() {}

    /**
     * @param store where the encodings' parameter values come from
     * @param q the queries, already scaled (scaling the queries touches fewer elements than scaling
     *     the logits), {@code (B, heads, N, d)}
     * @param k the keys, {@code (B, heads, M, d)}
     * @param v the values, {@code (B, heads, M, dv)}
     * @param encodings applied in order, each to what the previous one returned
     * @param training whether to run in training mode
     * @return {@code (B, heads, N, dv)}
     */
    public static NDArray attend(ParameterStore store, NDArray q, NDArray k, NDArray v, List<? extends PositionEncoding> encodings,
            boolean training) {
        NDArray logits = q.matMul(k.transpose(0, 1, 3, 2));
        for (PositionEncoding encoding : encodings) {
            logits = encoding.logits(store, logits, q, k, training);
        }
        NDArray attention = logits.softmax(-1);
        for (PositionEncoding encoding : encodings) {
            attention = encoding.weights(store, attention, training);
        }
        NDArray out = attention.matMul(v);
        for (PositionEncoding encoding : encodings) {
            out = encoding.output(store, out, attention, training);
        }
        return out;
    }

    /**
     * Counts the two products, {@code q · kᵀ} and the weighted sum of the values, and the encodings'.
     *
     * @param queries {@code (B, heads, N, d)}
     * @param keys {@code (B, heads, M, d)}
     * @param values {@code (B, heads, M, dv)}
     * @param encodings the encodings
     * @param macs receives the count
     * @return the output shape {@code (B, heads, N, dv)}
     */
    public static Shape trace(Shape queries, Shape keys, Shape values, List<? extends PositionEncoding> encodings, Macs macs) {
        long pairs = queries.size() / queries.getLastDimension() * keys.get(2);
        macs.add(pairs * queries.getLastDimension());
        macs.add(pairs * values.getLastDimension());
        for (PositionEncoding encoding : encodings) {
            encoding.trace(queries, keys, values, macs);
        }
        return queries.slice(0, 3).add(values.getLastDimension());
    }
}

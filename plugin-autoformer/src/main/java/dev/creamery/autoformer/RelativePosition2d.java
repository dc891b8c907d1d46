package dev.creamery.autoformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.PositionEncoding;

/**
 * AutoFormer's {@code RelativePosition2D_super}: learned embeddings of the vertical and horizontal
 * offset between two tokens of the square patch grid, clipped to {@code ±max}; the class token
 * uses row 0 of both tables. The embedding of a token pair is the sum of its two rows,
 * {@code table_v[dv] + table_h[dh]}, a {@code (tokens, tokens, headDim)} array.
 *
 * <p>As a position encoding it is iRPE's contextual mode: on the keys ({@code rel_pos_embed_k}) it
 * adds {@code q_i · r_ij} to the logits, on the values ({@code rel_pos_embed_v}) it adds
 * {@code Σ_j a_ij r_ij} to the output.
 */
final class RelativePosition2d extends Module implements PositionEncoding {
    /** What the embeddings act on. */
    enum Target {
        /** The keys: a term on the logits. */
        KEYS,
        /** The values: a term on the output. */
        VALUES
    }

    private final Target target;
    private final int side;
    private final int maxDistance;
    private final int headDim;
    private final Parameter tableV;
    private final Parameter tableH;
    private final long[] vertical;
    private final long[] horizontal;
    private NDArray verticalIndex;
    private NDArray horizontalIndex;

    /**
     * @param side the patch grid's side (tokens are {@code side² + 1} with the class token)
     * @param maxDistance the largest offset told apart ({@code max_relative_position})
     * @param headDim the width of a head
     * @param target what the embeddings act on
     */
    RelativePosition2d(int side, int maxDistance, int headDim, Target target) {
        this.target = target;
        this.side = side;
        this.maxDistance = maxDistance;
        this.headDim = headDim;
        Shape table = new Shape(2L * maxDistance + 2, headDim);
        tableV = parameter("embeddings_table_v", Parameter.Type.OTHER, table, new TruncatedNormalInitializer(0.02f), true);
        tableH = parameter("embeddings_table_h", Parameter.Type.OTHER, table, new TruncatedNormalInitializer(0.02f), true);
        vertical = offsets(side, maxDistance, true);
        horizontal = offsets(side, maxDistance, false);
    }

    /**
     * Rows of the table for each token pair, class token first: offsets are clipped to
     * {@code ±max} and shifted to {@code 1 .. 2·max+1}; any pair with the class token reads row 0.
     *
     * @param side the patch grid's side
     * @param max the largest offset told apart
     * @param vertical row offsets if true, column offsets otherwise
     * @return the {@code (side²+1)²} row numbers, row-major
     */
    static long[] offsets(int side, int max, boolean vertical) {
        int patches = side * side;
        int tokens = patches + 1;
        long[] index = new long[tokens * tokens];
        for (int i = 0; i < patches; i++) {
            for (int j = 0; j < patches; j++) {
                int d = vertical ? j / side - i / side : j % side - i % side;
                index[(i + 1) * tokens + j + 1] = Math.max(-max, Math.min(max, d)) + max + 1;
            }
        }
        return index;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long tokens = (long) side * side + 1;
        verticalIndex = manager.create(vertical, new Shape(tokens, tokens));
        horizontalIndex = manager.create(horizontal, new Shape(tokens, tokens));
    }

    /**
     * @param store where the tables' values come from
     * @param like an array of the forward pass: the result is on its device and in its manager
     * @param training whether to run in training mode
     * @return the pair embeddings {@code (tokens, tokens, headDim)}
     */
    NDArray embeddings(ParameterStore store, NDArray like, boolean training) {
        NDArray v = store.getValue(tableV, like.getDevice(), training);
        NDArray h = store.getValue(tableH, like.getDevice(), training);
        return v.get(like.getManager(), new NDIndex("{}", onDevice(verticalIndex, like)))
                .add(h.get(like.getManager(), new NDIndex("{}", onDevice(horizontalIndex, like))));
    }

    /**
     * @param index an array the network made once (an index, a mask)
     * @param like an array of the forward pass
     * @return the array on {@code like}'s device; a copy, if one is needed, belongs to {@code like}'s manager
     */
    static NDArray onDevice(NDArray index, NDArray like) {
        if (index.getDevice().equals(like.getDevice())) {
            return index;
        }
        NDArray moved = index.toDevice(like.getDevice(), false);
        moved.attach(like.getManager());
        return moved;
    }

    /** (tokens, batch·heads, d) against (tokens, d, tokens): one product per query token. */
    @Override
    public NDArray logits(ParameterStore store, NDArray logits, NDArray q, NDArray k, boolean training) {
        if (target != Target.KEYS) {
            return logits;
        }
        Shape s = q.getShape();
        NDArray byToken = q.transpose(2, 0, 1, 3).reshape(s.get(2), s.get(0) * s.get(1), s.get(3));
        NDArray r = embeddings(store, q, training);
        return logits.add(byToken.matMul(r.transpose(0, 2, 1)).transpose(1, 0, 2).reshape(s.get(0), s.get(1), s.get(2), s.get(2)));
    }

    @Override
    public NDArray output(ParameterStore store, NDArray out, NDArray attention, boolean training) {
        if (target != Target.VALUES) {
            return out;
        }
        Shape s = attention.getShape();
        NDArray byToken = attention.transpose(2, 0, 1, 3).reshape(s.get(2), s.get(0) * s.get(1), s.get(3));
        NDArray r = embeddings(store, attention, training);
        return out.add(byToken.matMul(r).transpose(1, 0, 2).reshape(s.get(0), s.get(1), s.get(2), headDim));
    }

    /** A contextual term is one more product as large as the one it joins. */
    @Override
    public void trace(Shape queries, Shape keys, Shape values, Macs macs) {
        Shape factor = target == Target.KEYS ? queries : values;
        macs.add(queries.size() / queries.getLastDimension() * keys.get(2) * factor.getLastDimension());
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        return embeddings(store, x, training);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        long tokens = (long) side * side + 1;
        return new Shape(tokens, tokens, headDim);
    }

    /** @return both tables */
    Parameter[] parameters() {
        return new Parameter[] {tableV, tableH};
    }
}

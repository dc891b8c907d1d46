package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import dev.creamery.api.HostArrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * iRPE's image relative position encoding (Wu et al., ICCV 2021) on one of an attention's queries,
 * keys or values: the official {@code iRPE} module, or for the cross method the official
 * {@code iRPE_Cross}, two of them ({@code rp_rows}, {@code rp_cols}) whose terms are summed.
 *
 * <p>A table holds one entry per bucket (per head, or shared), initialised at zero as the official
 * tables are, so that an equipped model starts as the plain one:
 * <ul>
 *   <li>on k, {@code logits[i, j] += q_i · W[bucket(i, j)]} (contextual) or {@code += b[bucket(i, j)]} (bias);
 *   <li>on q, {@code logits[i, j] += (s k_j) · W[bucket(j, i)]}, the keys scaled as the queries are;
 *   <li>on v, {@code out[i] += Σ_j a_ij W[bucket(i, j)]}, with the attention after the softmax.
 * </ul>
 * The contextual term is a product with the whole table and a gather by bucket, whose gradient is a
 * scatter-add: what the official CUDA operator does, here without anything to compile.
 *
 * <p>The patch grid is square and follows the skip tokens, as the official attention assumes: with
 * {@code L} tokens the grid side is {@code floor(sqrt(L))}, and the rest must be the configured
 * skip tokens.
 */
public final class Irpe extends Module implements PositionEncoding {
    /** What the encoding acts on. */
    public enum Target {
        /** The queries: a term on the logits, from the keys. */
        Q('q'),
        /** The keys: a term on the logits, from the queries. */
        K('k'),
        /** The values: a term on the output, from the attention. */
        V('v');

        private final char letter;

        Target(char letter) {
            this.letter = letter;
        }

        /** @return the letter of the official {@code rpe_on} */
        public char letter() {
            return letter;
        }
    }

    private final RpeConfig config;
    private final Target target;
    private final int heads;
    private final int headDim;
    private final double scale;
    private final RpeBuckets.Function function;
    private final Parameter table;
    private final List<Irpe> axes;
    private final Map<Integer, long[]> buckets = new ConcurrentHashMap<>();

    private Irpe(RpeConfig config, Target target, int heads, int headDim, double scale, RpeBuckets.Function function) {
        this.config = config;
        this.target = target;
        this.heads = config.sharedHead() ? 1 : heads;
        this.headDim = headDim;
        this.scale = scale;
        this.function = function;
        if (function == null) {
            table = null;
            axes = List.of(addChildBlock("rp_rows", new Irpe(config, target, heads, headDim, scale, RpeBuckets.Function.ROWS)),
                    addChildBlock("rp_cols", new Irpe(config, target, heads, headDim, scale, RpeBuckets.Function.COLUMNS)));
            return;
        }
        axes = List.of();
        int buckets = config.buckets();
        if (config.mode() == RpeConfig.Mode.BIAS) {
            table = parameter("lookup_table_bias", Parameter.Type.OTHER, new Shape(this.heads, buckets), Initializer.ZEROS, true);
        } else {
            Shape shape = target == Target.V ? new Shape(this.heads, buckets, headDim) : new Shape(this.heads, headDim, buckets);
            table = parameter("lookup_table_weight", Parameter.Type.OTHER, shape, Initializer.ZEROS, true);
        }
    }

    /**
     * The official {@code build_rpe} for one target: an {@code iRPE}, or an {@code iRPE_Cross} for the cross method.
     *
     * @param config the configuration
     * @param target what it acts on
     * @param heads the attention's heads
     * @param headDim the width of a head
     * @param scale the factor the queries are scaled by (applied to the keys on q)
     * @return the encoding, its tables at zero once initialised
     */
    public static Irpe of(RpeConfig config, Target target, int heads, int headDim, double scale) {
        RpeBuckets.Function function = switch (config.method()) {
            case EUCLIDEAN -> RpeBuckets.Function.EUCLIDEAN;
            case QUANTIZATION -> RpeBuckets.Function.QUANTIZATION;
            case PRODUCT -> RpeBuckets.Function.PRODUCT;
            case CROSS -> null;
        };
        return new Irpe(config, target, heads, headDim, scale, function);
    }

    /** @return what the encoding acts on */
    public Target target() {
        return target;
    }

    @Override
    public NDArray logits(ParameterStore store, NDArray logits, NDArray q, NDArray k, boolean training) {
        return switch (target) {
            case K -> logits.add(apply(store, q, training));
            case Q -> logits.add(apply(store, Scalars.times(k, scale), training).transpose(0, 1, 3, 2));
            case V -> logits;
        };
    }

    @Override
    public NDArray output(ParameterStore store, NDArray out, NDArray attention, boolean training) {
        return target == Target.V ? out.add(apply(store, attention, training)) : out;
    }

    /**
     * The official forward: the term of this encoding for its input.
     *
     * @param store where the table's value comes from
     * @param x on q or k, the keys or queries {@code (B, H, L, d)} (scaled); on v, the attention {@code (B, H, L, L)}
     * @param training whether to run in training mode
     * @return on q or k, {@code (B, H, L, L)} (bias mode: {@code (1, H or 1, L, L)}); on v, {@code (B, H, L, d)}
     */
    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        if (table == null) {
            return axes.get(0).apply(store, x, training).add(axes.get(1).apply(store, x, training));
        }
        NDManager manager = x.getManager();
        long tokens = x.getShape().get(2);
        NDArray ids = HostArrays.create(manager, buckets((int) tokens), new Shape(tokens, tokens));
        // The table is the model's: every op on it takes the step's manager, so that nothing outlives the step.
        NDArray w = store.getValue(table, x.getDevice(), training);
        if (config.mode() == RpeConfig.Mode.BIAS) {
            return w.get(manager, new NDIndex(":, {}", ids.flatten())).reshape(1, heads, tokens, tokens);
        }
        if (target == Target.V) {
            // (H, L, B, L) x (H or 1, L, L, d): the attention of each query position against its row of gathered vectors.
            NDArray gathered = w.get(manager, new NDIndex(":, {}", ids.flatten())).reshape(heads, tokens, tokens, headDim);
            return x.transpose(1, 2, 0, 3).matMul(gathered).transpose(2, 0, 1, 3);
        }
        // (B, H, L, d) x (H or 1, d, buckets): every query's (or key's) product with every bucket, then each pair's.
        Shape s = x.getShape();
        return x.matMul(w).gather(ids.broadcast(s.get(0), s.get(1), tokens, tokens), 3);
    }

    /** The bucket of every token pair for {@code tokens} tokens, computed once per length. */
    private long[] buckets(int tokens) {
        return buckets.computeIfAbsent(tokens, n -> {
            int side = (int) Math.sqrt(n);
            if (n - side * side != config.skip()) {
                throw new IllegalArgumentException("iRPE " + config + " expects " + config.skip() + " token(s) before a square grid of"
                        + " patches; the attention has " + n + " tokens (a " + side + "x" + side + " grid and " + (n - side * side) + ")");
            }
            return RpeBuckets.ids(function, config, side, side, config.skip());
        });
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        if (table == null) {
            axes.get(1).trace(input, macs);
            return axes.get(0).trace(input, macs);
        }
        long tokens = input.get(2);
        if (target == Target.V) {
            macs.add(input.get(0) * input.get(1) * tokens * tokens * headDim);
            return new Shape(input.get(0), input.get(1), tokens, headDim);
        }
        if (config.mode() == RpeConfig.Mode.CONTEXTUAL) {
            macs.add(input.get(0) * input.get(1) * tokens * headDim * config.buckets());
        }
        return new Shape(input.get(0), input.get(1), tokens, tokens);
    }

    /** Counts the product of the contextual mode (with every bucket) or of the weighted sum on v; a bias costs none. */
    @Override
    public void trace(Shape queries, Shape keys, Shape values, Macs macs) {
        trace(target == Target.V ? new Shape(queries.get(0), queries.get(1), queries.get(2), keys.get(2)) : queries, macs);
    }
}

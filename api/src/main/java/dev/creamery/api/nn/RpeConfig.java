package dev.creamery.api.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How iRPE (Wu et al., ICCV 2021) equips an attention, as the official
 * {@code get_rpe_config(ratio, method, mode, shared_head, skip, rpe_on)} says it: the piecewise index
 * function's {@code alpha = ratio}, {@code beta = 2 ratio}, {@code gamma = 8 ratio}; how a pair of
 * patches maps to a bucket ({@link Method}); a learned bias or a contextual term ({@link Mode}); one
 * table for all heads or one per head; the tokens before the patches (the class token) that share
 * one extra bucket; and which of the queries, keys and values it acts on.
 *
 * @param ratio the piecewise index function's scale
 * @param method how a pair of patches maps to a bucket
 * @param mode a learned bias per bucket, or a learned vector per bucket dotted with the query, key or attention
 * @param sharedHead one table for all heads
 * @param skip tokens before the patch grid (1 for the class token); they share one extra bucket
 * @param on the targets, any of {@code q}, {@code k}, {@code v} (e.g. {@code "k"}, {@code "qkv"})
 */
public record RpeConfig(double ratio, Method method, Mode mode, boolean sharedHead, int skip, String on) {
    /** How the offset between two patches maps to a bucket. */
    public enum Method {
        /** The rounded Euclidean distance, through the piecewise index. */
        EUCLIDEAN("euc"),
        /** The squared Euclidean distance, through the piecewise index. */
        QUANTIZATION("quant"),
        /** Two tables, one of the row offset and one of the column offset, summed. */
        CROSS("cross"),
        /** One bucket per pair (row offset, column offset), each through the piecewise index. */
        PRODUCT("product");

        private final String official;

        Method(String official) {
            this.official = official;
        }

        /** @return the official name ({@code euc}, {@code quant}, {@code cross}, {@code product}) */
        public String official() {
            return official;
        }
    }

    /** What a bucket holds. */
    public enum Mode {
        /** A scalar added to the logits. */
        BIAS("bias"),
        /** A vector dotted with the query (on k), the key (on q), or summed under the attention (on v). */
        CONTEXTUAL("contextual");

        private final String official;

        Mode(String official) {
            this.official = official;
        }

        /** @return the official name */
        public String official() {
            return official;
        }
    }

    /** Checks every setting against what the official code accepts and what gives buckets. */
    public RpeConfig {
        if (!(ratio >= 0.5) || !Double.isFinite(ratio)) {
            throw new IllegalArgumentException("rpe ratio " + ratio + " gives no buckets: the piecewise index keeps offsets up to"
                    + " int(2 x ratio), which must be at least 1; use a ratio of at least 0.5 (the official default is 1.9)");
        }
        if (skip < 0) {
            throw new IllegalArgumentException("rpe skip must be 0 or more (the tokens before the patch grid), got " + skip);
        }
        if (on.isEmpty() || !on.chars().allMatch(c -> c == 'q' || c == 'k' || c == 'v')
                || on.chars().distinct().count() != on.length()) {
            throw new IllegalArgumentException("rpe on '" + on + "' is not a choice of q, k and v: use e.g. k, qk, qkv");
        }
        if (mode == Mode.BIAS && on.contains("v")) {
            throw new IllegalArgumentException("rpe mode bias acts on the logits only, not on v: use on = q, k or qk,"
                    + " or mode = contextual");
        }
    }

    /**
     * The official {@code get_rpe_config}, names as strings.
     *
     * @param ratio the piecewise index function's scale
     * @param method {@code euc}, {@code quant}, {@code cross} or {@code product}
     * @param mode {@code bias}, {@code contextual} or {@code ctx}
     * @param sharedHead one table for all heads
     * @param skip tokens before the patch grid
     * @param on any of q, k, v
     * @return the configuration
     * @throws IllegalArgumentException naming the allowed values
     */
    public static RpeConfig of(double ratio, String method, String mode, boolean sharedHead, int skip, String on) {
        return new RpeConfig(ratio, parse(Method.values(), method, "method", Method::official),
                parse(Mode.values(), mode.equalsIgnoreCase("ctx") ? "contextual" : mode, "mode", Mode::official), sharedHead, skip,
                on.toLowerCase(Locale.ROOT));
    }

    private static <E extends Enum<E>> E parse(E[] values, String name, String what, java.util.function.Function<E, String> official) {
        for (E value : values) {
            if (official.apply(value).equalsIgnoreCase(name)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown rpe " + what + " '" + name + "': use one of "
                + String.join(", ", Arrays.stream(values).map(official).toList()));
    }

    /** @return the piecewise index function's {@code alpha} */
    public double alpha() {
        return ratio;
    }

    /** @return its {@code beta}, the largest index (as a float; the index is its integer part) */
    public double beta() {
        return 2 * ratio;
    }

    /** @return its {@code gamma} */
    public double gamma() {
        return 8 * ratio;
    }

    /** @return the buckets of one table, the skip bucket included (the official {@code num_buckets}) */
    public int buckets() {
        int axis = 2 * (int) beta() + 1;
        return (method == Method.PRODUCT ? axis * axis : axis) + (skip > 0 ? 1 : 0);
    }

    /**
     * The encodings of an attention, named and ordered as the official {@code build_rpe} gives them
     * ({@code rpe_q}, {@code rpe_k}, {@code rpe_v}, the order of the official {@code state_dict}). The
     * official attention adds {@code rpe_k}'s term before {@code rpe_q}'s; the two are summed into the
     * logits either way, so the order moves only the last bit.
     *
     * @param heads the attention's heads
     * @param headDim the width of a head
     * @param scale the factor the queries are scaled by, which {@code rpe_q} applies to the keys
     * @return the encodings by attribute name
     */
    public Map<String, Irpe> encodings(int heads, int headDim, double scale) {
        Map<String, Irpe> encodings = new LinkedHashMap<>();
        for (Irpe.Target target : Irpe.Target.values()) {
            if (on.indexOf(target.letter()) >= 0) {
                encodings.put("rpe_" + target.letter(), Irpe.of(this, target, heads, headDim, scale));
            }
        }
        return encodings;
    }

    /** @return the official call that gives this configuration, for messages and docs */
    @Override
    public String toString() {
        List<String> args = new ArrayList<>();
        args.add("ratio=" + ratio);
        args.add("method=" + method.official());
        args.add("mode=" + mode.official());
        args.add("shared_head=" + sharedHead);
        args.add("skip=" + skip);
        args.add("rpe_on=" + on);
        return "get_rpe_config(" + String.join(", ", args) + ")";
    }
}

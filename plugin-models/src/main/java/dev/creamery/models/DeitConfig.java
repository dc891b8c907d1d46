package dev.creamery.models;

import dev.creamery.api.Architecture;
import dev.creamery.api.InvalidArchitectureException;
import dev.creamery.api.nn.RpeConfig;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A DeiT architecture: timm's {@code VisionTransformer} arguments ({@code embed_dim}, {@code depth},
 * {@code num_heads}, {@code mlp_ratio}, {@code patch_size}), iRPE's as the official
 * {@code get_rpe_config} takes them, and MiniViT's weight multiplexing.
 *
 * <p>In the {@code deit} family, {@code rpe_method} is {@code none} (plain DeiT, the default) or
 * {@code euc}, {@code quant}, {@code cross}, {@code product}, and with a method {@code rpe_mode},
 * {@code rpe_ratio}, {@code rpe_shared_head} and {@code rpe_on} default as {@code get_rpe_config}'s
 * signature does (contextual, 1.9, true, k); the class token is iRPE's one skip token. The
 * {@code minivit} family adds {@code repeated_times} (2), {@code use_transform} (true) and
 * {@code use_cls_token} (false), and its iRPE defaults to the Mini-DeiT one
 * ({@code get_deit_rpe_config}: product, contextual, 1.9, shared, on k; no skip token without a class
 * token).
 *
 * @param embedDim token width
 * @param depth blocks, counting every use of a multiplexed block
 * @param numHeads attention heads
 * @param mlpRatio MLP hidden width over the token width
 * @param patchSize patch side
 * @param rpe iRPE's configuration, or null for absolute position embeddings alone
 * @param repeats the uses of each block's weights (1: no multiplexing)
 * @param transform whether each use transforms its attention across heads before and after the softmax
 * @param clsToken whether a class token is classified (else the mean of the tokens)
 */
record DeitConfig(int embedDim, int depth, int numHeads, double mlpRatio, int patchSize, RpeConfig rpe, int repeats, boolean transform,
        boolean clsToken) {
    // Ordered, so an error lists the dimensions as the family documents them.
    private static final Set<String> REQUIRED = ordered("embed_dim", "depth", "num_heads", "mlp_ratio", "patch_size");
    private static final Set<String> RPE = ordered("rpe_method", "rpe_mode", "rpe_ratio", "rpe_shared_head", "rpe_on");
    private static final Set<String> MULTIPLEXING = ordered("repeated_times", "use_transform", "use_cls_token");
    private static final double DEFAULT_RATIO = 1.9;

    /** A plain DeiT or DeiT with iRPE. */
    DeitConfig(int embedDim, int depth, int numHeads, double mlpRatio, int patchSize, RpeConfig rpe) {
        this(embedDim, depth, numHeads, mlpRatio, patchSize, rpe, 1, false, true);
    }

    /**
     * @param a a {@code deit} architecture
     * @return its configuration
     */
    static DeitConfig of(Architecture a) {
        String method = a.has("rpe_method") ? a.getString("rpe_method").toLowerCase(Locale.ROOT) : "none";
        Stages.checkNames(a, REQUIRED, method.equals("none") ? Set.of("rpe_method") : RPE, "deit");
        DeitConfig config = new DeitConfig(a.getInt("embed_dim"), a.getInt("depth"), a.getInt("num_heads"), a.getDouble("mlp_ratio"),
                a.getInt("patch_size"), rpe(a, method, 1));
        config.check();
        return config;
    }

    /**
     * @param a a {@code minivit} architecture
     * @return its configuration
     */
    static DeitConfig mini(Architecture a) {
        String method = a.has("rpe_method") ? a.getString("rpe_method").toLowerCase(Locale.ROOT) : "product";
        Set<String> optional = new LinkedHashSet<>(method.equals("none") ? Set.of("rpe_method") : RPE);
        optional.addAll(MULTIPLEXING);
        Stages.checkNames(a, REQUIRED, optional, "minivit");
        boolean clsToken = a.has("use_cls_token") && bool(a, "use_cls_token");
        DeitConfig config = new DeitConfig(a.getInt("embed_dim"), a.getInt("depth"), a.getInt("num_heads"), a.getDouble("mlp_ratio"),
                a.getInt("patch_size"), rpe(a, method, clsToken ? 1 : 0), a.has("repeated_times") ? a.getInt("repeated_times") : 2,
                !a.has("use_transform") || bool(a, "use_transform"), clsToken);
        config.check();
        return config;
    }

    private static RpeConfig rpe(Architecture a, String method, int skip) {
        if (method.equals("none")) {
            return null;
        }
        double ratio = a.has("rpe_ratio") ? a.getDouble("rpe_ratio") : DEFAULT_RATIO;
        String mode = a.has("rpe_mode") ? a.getString("rpe_mode") : "contextual";
        boolean sharedHead = !a.has("rpe_shared_head") || bool(a, "rpe_shared_head");
        String on = a.has("rpe_on") ? a.getString("rpe_on") : "k";
        try {
            return RpeConfig.of(ratio, method, mode, sharedHead, skip, on);
        } catch (IllegalArgumentException e) {
            // The kit's message lists the methods of iRPE; an architecture has one more.
            String none = e.getMessage().startsWith("unknown rpe method") ? ", or none" : "";
            throw new InvalidArchitectureException("rpe_method", e.getMessage() + none);
        }
    }

    private static Set<String> ordered(String... names) {
        return new LinkedHashSet<>(List.of(names));
    }

    private static boolean bool(Architecture a, String name) {
        String value = String.valueOf(a.get(name)).toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            throw new InvalidArchitectureException(name, name + " is true or false, got " + value);
        }
        return Boolean.parseBoolean(value);
    }

    /** @return the {@code deit} architecture */
    Architecture architecture() {
        if (repeats != 1 || transform || !clsToken) {
            throw new IllegalStateException("a multiplexed network is a minivit architecture");
        }
        return base().build();
    }

    /** @return the {@code minivit} architecture, every dimension written out */
    Architecture miniArchitecture() {
        return base().put("repeated_times", repeats).put("use_transform", transform).put("use_cls_token", clsToken).build();
    }

    private Architecture.Builder base() {
        Architecture.Builder builder = Architecture.builder().put("embed_dim", embedDim).put("depth", depth).put("num_heads", numHeads)
                .put("mlp_ratio", mlpRatio).put("patch_size", patchSize);
        if (rpe == null) {
            return builder.put("rpe_method", "none");
        }
        return builder.put("rpe_method", rpe.method().official()).put("rpe_mode", rpe.mode().official()).put("rpe_ratio", rpe.ratio())
                .put("rpe_shared_head", rpe.sharedHead()).put("rpe_on", rpe.on());
    }

    private void check() {
        if (embedDim < 1 || depth < 1 || numHeads < 1 || patchSize < 1) {
            throw new InvalidArchitectureException("embed_dim", "deit needs positive embed_dim, depth, num_heads and patch_size");
        }
        if (embedDim % numHeads != 0) {
            throw new InvalidArchitectureException("num_heads", "embed_dim " + embedDim + " is not divisible by " + numHeads + " heads");
        }
        if (!(mlpRatio > 0)) {
            throw new InvalidArchitectureException("mlp_ratio", "mlp_ratio must be positive, got " + mlpRatio);
        }
        if (repeats < 1 || depth % repeats != 0) {
            throw new InvalidArchitectureException("repeated_times", "depth " + depth + " is not a whole number of blocks used "
                    + repeats + " times each; use a repeated_times that divides the depth");
        }
    }
}

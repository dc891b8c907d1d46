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
 * {@code num_heads}, {@code mlp_ratio}, {@code patch_size}) and iRPE's, as the official
 * {@code get_rpe_config} takes them: {@code rpe_method} ({@code none} for plain DeiT, or {@code euc},
 * {@code quant}, {@code cross}, {@code product}), and with a method {@code rpe_mode}, {@code rpe_ratio},
 * {@code rpe_shared_head} and {@code rpe_on}, each defaulting as {@code get_rpe_config}'s signature does
 * (contextual, 1.9, true, k). The class token is iRPE's one skip token.
 *
 * @param embedDim token width
 * @param depth blocks
 * @param numHeads attention heads
 * @param mlpRatio MLP hidden width over the token width
 * @param patchSize patch side
 * @param rpe iRPE's configuration, or null for absolute position embeddings alone
 */
record DeitConfig(int embedDim, int depth, int numHeads, double mlpRatio, int patchSize, RpeConfig rpe) {
    // Ordered, so an error lists the dimensions as the family documents them.
    private static final Set<String> REQUIRED = ordered("embed_dim", "depth", "num_heads", "mlp_ratio", "patch_size");
    private static final Set<String> OPTIONAL = ordered("rpe_method", "rpe_mode", "rpe_ratio", "rpe_shared_head", "rpe_on");
    private static final double DEFAULT_RATIO = 1.9;

    static DeitConfig of(Architecture a) {
        String method = a.has("rpe_method") ? a.getString("rpe_method").toLowerCase(Locale.ROOT) : "none";
        Stages.checkNames(a, REQUIRED, method.equals("none") ? Set.of("rpe_method") : OPTIONAL, "deit");
        RpeConfig rpe = null;
        if (!method.equals("none")) {
            double ratio = a.has("rpe_ratio") ? a.getDouble("rpe_ratio") : DEFAULT_RATIO;
            String mode = a.has("rpe_mode") ? a.getString("rpe_mode") : "contextual";
            boolean sharedHead = !a.has("rpe_shared_head") || bool(a, "rpe_shared_head");
            String on = a.has("rpe_on") ? a.getString("rpe_on") : "k";
            try {
                rpe = RpeConfig.of(ratio, method, mode, sharedHead, 1, on);
            } catch (IllegalArgumentException e) {
                // The kit's message lists the methods of iRPE; a deit architecture has one more.
                String none = e.getMessage().startsWith("unknown rpe method") ? ", or none" : "";
                throw new InvalidArchitectureException("rpe_method", e.getMessage() + none);
            }
        }
        DeitConfig config = new DeitConfig(a.getInt("embed_dim"), a.getInt("depth"), a.getInt("num_heads"), a.getDouble("mlp_ratio"),
                a.getInt("patch_size"), rpe);
        config.check();
        return config;
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

    Architecture architecture() {
        Architecture.Builder builder = Architecture.builder().put("embed_dim", embedDim).put("depth", depth).put("num_heads", numHeads)
                .put("mlp_ratio", mlpRatio).put("patch_size", patchSize);
        if (rpe == null) {
            return builder.put("rpe_method", "none").build();
        }
        return builder.put("rpe_method", rpe.method().official()).put("rpe_mode", rpe.mode().official()).put("rpe_ratio", rpe.ratio())
                .put("rpe_shared_head", rpe.sharedHead()).put("rpe_on", rpe.on()).build();
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
    }
}

package dev.creamery.models;

import dev.creamery.api.Architecture;
import dev.creamery.api.InvalidArchitectureException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A TinyViT architecture: the official {@code MODEL.TINY_VIT} config keys in lower case ({@code IN_CHANS}
 * comes from the task). Stage 0 is convolutional (its {@code num_heads} and {@code window_sizes} entries
 * are unused, as in the official code); every later stage is attention.
 *
 * @param embedDims channels per stage
 * @param depths blocks per stage
 * @param numHeads attention heads per stage
 * @param windowSizes attention window side per stage
 * @param mlpRatio MLP hidden channels over embedding channels
 * @param mbconvExpandRatio MBConv hidden channels over its channels
 * @param localConvSize kernel of the depthwise convolution between attention and MLP
 */
record TinyVitConfig(int[] embedDims, int[] depths, int[] numHeads, int[] windowSizes, double mlpRatio,
        double mbconvExpandRatio, int localConvSize) {
    static final Set<String> DIMENSIONS = new LinkedHashSet<>(List.of("embed_dims", "depths", "num_heads", "window_sizes",
            "mlp_ratio", "mbconv_expand_ratio", "local_conv_size"));

    static TinyVitConfig of(Architecture a) {
        Stages.checkNames(a, DIMENSIONS, "tinyvit");
        int stages = a.getIntList("embed_dims").length;
        if (stages < 2) {
            throw new InvalidArchitectureException("embed_dims", "tinyvit needs at least 2 stages, got " + stages);
        }
        TinyVitConfig config = new TinyVitConfig(Stages.ints(a, "embed_dims", stages, 2), Stages.ints(a, "depths", stages, 0),
                Stages.ints(a, "num_heads", stages, 1), Stages.ints(a, "window_sizes", stages, 1), a.getDouble("mlp_ratio"),
                a.getDouble("mbconv_expand_ratio"), a.getInt("local_conv_size"));
        config.check();
        return config;
    }

    Architecture architecture() {
        return Architecture.of("embed_dims", list(embedDims), "depths", list(depths), "num_heads", list(numHeads),
                "window_sizes", list(windowSizes), "mlp_ratio", mlpRatio, "mbconv_expand_ratio", mbconvExpandRatio,
                "local_conv_size", localConvSize);
    }

    /** @return the total stride: the patch embedding's 4, halved again by every stage but the last */
    int stride() {
        return 4 << (embedDims.length - 1);
    }

    /**
     * @param dropPathRate the rate of the last block
     * @return the drop-path rate of each block, {@code linspace(0, drop_path_rate, sum(depths))} as the
     *     official code spreads it
     */
    double[] dropPaths(double dropPathRate) {
        int total = Arrays.stream(depths).sum();
        double[] rates = new double[total];
        for (int i = 0; i < total; i++) {
            rates[i] = total == 1 ? 0 : dropPathRate * i / (total - 1);
        }
        return rates;
    }

    private void check() {
        for (int i = 1; i < embedDims.length; i++) {
            if (embedDims[i] % numHeads[i] != 0) {
                throw new InvalidArchitectureException("num_heads", "stage " + i + ": embed_dims " + embedDims[i]
                        + " is not divisible by " + numHeads[i] + " heads");
            }
        }
        if (localConvSize < 1 || localConvSize % 2 == 0) {
            throw new InvalidArchitectureException("local_conv_size", "local_conv_size must be odd and positive, got "
                    + localConvSize);
        }
        if (mlpRatio <= 0 || mbconvExpandRatio <= 0) {
            throw new InvalidArchitectureException("mlp_ratio", "mlp_ratio and mbconv_expand_ratio must be positive");
        }
    }

    private static List<Integer> list(int[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}

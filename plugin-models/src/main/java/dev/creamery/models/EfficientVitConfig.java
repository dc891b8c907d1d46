package dev.creamery.models;

import dev.creamery.api.Architecture;
import dev.creamery.api.InvalidArchitectureException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An EfficientViT architecture: the official config keys of {@code build.py} (three stages; patch size 16
 * and the subsample between stages are fixed by the official network).
 *
 * @param embedDim channels per stage
 * @param keyDim query/key channels per head, per stage
 * @param depth EfficientViT blocks per stage
 * @param numHeads attention heads per stage
 * @param windowSize local attention window side per stage
 * @param kernels the query convolution's kernel for head 0, 1, ...
 */
record EfficientVitConfig(int[] embedDim, int[] keyDim, int[] depth, int[] numHeads, int[] windowSize, int[] kernels) {
    static final Set<String> DIMENSIONS = new LinkedHashSet<>(
            List.of("embed_dim", "key_dim", "depth", "num_heads", "window_size", "kernels"));

    static EfficientVitConfig of(Architecture a) {
        Stages.checkNames(a, DIMENSIONS, "efficientvit");
        EfficientVitConfig config = new EfficientVitConfig(Stages.ints(a, "embed_dim", 3, 8), Stages.ints(a, "key_dim", 3, 1),
                Stages.ints(a, "depth", 3, 0), Stages.ints(a, "num_heads", 3, 1), Stages.ints(a, "window_size", 3, 1),
                a.getIntList("kernels"));
        config.check();
        return config;
    }

    Architecture architecture() {
        return Architecture.of("embed_dim", list(embedDim), "key_dim", list(keyDim), "depth", list(depth), "num_heads",
                list(numHeads), "window_size", list(windowSize), "kernels", list(kernels));
    }

    /**
     * The value channels per head, {@code int(embed_dim / (key_dim * heads) * key_dim)} as the official
     * code computes it (in floating point).
     */
    int valueDim(int stage) {
        return (int) ((double) embedDim[stage] / (keyDim[stage] * numHeads[stage]) * keyDim[stage]);
    }

    private void check() {
        int maxHeads = Arrays.stream(numHeads).max().orElseThrow();
        if (kernels.length < maxHeads) {
            throw new InvalidArchitectureException("kernels", "dimension 'kernels' needs a kernel for each of " + maxHeads
                    + " heads, got " + kernels.length);
        }
        for (int kernel : kernels) {
            if (kernel < 1 || kernel % 2 == 0) {
                throw new InvalidArchitectureException("kernels", "dimension 'kernels' values must be odd and positive, got "
                        + kernel);
            }
        }
        for (int i = 0; i < 3; i++) {
            // Head i adds its output to the next head's input slice, so both must have embed_dim / heads channels.
            if (embedDim[i] % numHeads[i] != 0 || valueDim(i) != embedDim[i] / numHeads[i]) {
                throw new InvalidArchitectureException("num_heads", "stage " + i + ": embed_dim " + embedDim[i]
                        + " must split into " + numHeads[i] + " heads of key_dim " + keyDim[i]
                        + " whose value channels equal embed_dim / num_heads");
            }
        }
    }

    private static List<Integer> list(int[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}

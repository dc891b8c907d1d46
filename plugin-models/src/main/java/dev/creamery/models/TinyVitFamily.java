package dev.creamery.models;

import dev.creamery.api.Architecture;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.OfficialFamily;
import java.util.List;

/**
 * TinyViT (Wu et al., ECCV 2022), variants {@code tinyvit-5m}, {@code tinyvit-11m}, {@code tinyvit-21m} at
 * 224x224 and {@code tinyvit-21m-384}, {@code tinyvit-21m-512}, as registered in the official
 * {@code tiny_vit.py}. Official checkpoints load as they are; {@code attention_bias_idxs} buffers, if present, are checked against the derived index.
 *
 * <p>Images are square; a side that is not a multiple of 32 or below the configured minimum is upsampled
 * to the next multiple of 32 at or above both (see {@link TinyVitSettings}).
 */
public final class TinyVitFamily extends OfficialFamily {
    private static final int[] DEPTHS = {2, 2, 6, 2};
    private static final List<Variant> VARIANTS = List.of(
            variant("5m", 224, new int[] {64, 128, 160, 320}, new int[] {2, 4, 5, 10}, new int[] {7, 7, 14, 7},
                    "5.4M params, 1.3G FLOPs"),
            variant("11m", 224, new int[] {64, 128, 256, 448}, new int[] {2, 4, 8, 14}, new int[] {7, 7, 14, 7},
                    "11M params, 2.0G FLOPs"),
            variant("21m", 224, new int[] {96, 192, 384, 576}, new int[] {3, 6, 12, 18}, new int[] {7, 7, 14, 7},
                    "21M params, 4.3G FLOPs"),
            variant("21m", 384, new int[] {96, 192, 384, 576}, new int[] {3, 6, 12, 18}, new int[] {12, 12, 24, 12},
                    "21M params, 13.8G FLOPs"),
            variant("21m", 512, new int[] {96, 192, 384, 576}, new int[] {3, 6, 12, 18}, new int[] {16, 16, 32, 16},
                    "21M params, 27.0G FLOPs"));

    private final TinyVitSettings settings;

    /** @param settings the family's settings */
    public TinyVitFamily(TinyVitSettings settings) {
        this.settings = settings;
    }

    private static Variant variant(String size, int resolution, int[] embedDims, int[] numHeads, int[] windowSizes,
            String paper) {
        Architecture architecture = new TinyVitConfig(embedDims, DEPTHS, numHeads, windowSizes, 4.0, 4.0, 3)
                .architecture();
        String suffix = resolution == 224 ? "" : "-" + resolution;
        return new Variant("tinyvit-" + size + suffix, architecture, Task.square(3, resolution, 1000),
                "TinyViT-" + size.toUpperCase(java.util.Locale.ROOT) + ", " + resolution + "x" + resolution
                        + " ImageNet-1k (paper: " + paper + ")");
    }

    @Override
    public List<Variant> variants() {
        return VARIANTS;
    }

    @Override
    protected Module network(Architecture architecture, Task task) {
        TinyVitConfig config = TinyVitConfig.of(architecture);
        return new TinyVit(config, task, InputSize.of(task, config.stride(), settings.minInputSize(), "tinyvit"),
                settings.zeroInitResidual() ? 0f : 1f, settings.dropPathRate());
    }
}

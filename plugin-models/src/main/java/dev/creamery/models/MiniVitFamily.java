package dev.creamery.models;

import dev.creamery.api.Architecture;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.OfficialFamily;
import java.util.List;

/**
 * MiniViT (Zhang et al., CVPR 2022): ViTs compressed by weight multiplexing. Variants
 * {@code mini-deit-tiny}, {@code mini-deit-small}, {@code mini-deit-base} are the official
 * {@code mini_deit_*_patch16_224} of {@code mini_deit_models.py}: DeiT's twelve blocks as six blocks
 * used twice each, with head transformations, Mini-DeiT's iRPE (contextual product on the keys) and
 * mean pooling instead of a class token. Any architecture of {@link DeitConfig#mini} builds as
 * {@code minivit:...}.
 */
public final class MiniVitFamily extends OfficialFamily {
    private static final List<Variant> VARIANTS = List.of(
            variant("tiny", 192, 3, "Mini-DeiT-Ti, 3M params, 73.0% top-1"),
            variant("small", 384, 6, "Mini-DeiT-S, 11M params, 80.9% top-1"),
            variant("base", 768, 12, "Mini-DeiT-B, 44M params, 83.2% top-1"));

    private final DeitSettings settings;

    /** @param settings the family's settings */
    public MiniVitFamily(DeitSettings settings) {
        this.settings = settings;
    }

    private static Variant variant(String size, int dim, int heads, String readme) {
        Architecture architecture = DeitConfig.mini(Architecture.builder().put("embed_dim", dim).put("depth", 12).put("num_heads", heads)
                .put("mlp_ratio", 4).put("patch_size", 16).build()).miniArchitecture();
        return new Variant("mini-deit-" + size, architecture, Task.square(3, 224, 1000), readme + " (official README), 224x224 ImageNet-1k");
    }

    @Override
    public List<Variant> variants() {
        return VARIANTS;
    }

    @Override
    protected Module network(Architecture architecture, Task task) {
        return new Deit(DeitConfig.mini(architecture), task, settings.dropPathRate());
    }
}

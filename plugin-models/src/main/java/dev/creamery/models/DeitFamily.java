package dev.creamery.models;

import dev.creamery.api.Architecture;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.OfficialFamily;
import dev.creamery.api.nn.RpeConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * DeiT (Touvron et al., ICML 2021), {@code deit-tiny}, {@code deit-small}, {@code deit-base}, and the
 * DeiT models with iRPE (Wu et al., ICCV 2021) of the official model zoo ({@code rpe_models.py}), named
 * {@code irpe-deit-SIZE-patch16-224-MODE-METHOD-BUCKETS[-shared]-ON} as there: the number is the buckets
 * a 14x14 grid uses. Any architecture of {@link DeitConfig} builds as {@code deit:...}.
 */
public final class DeitFamily extends OfficialFamily {
    private static final List<Variant> VARIANTS = published();

    private final DeitSettings settings;

    /** @param settings the family's settings */
    public DeitFamily(DeitSettings settings) {
        this.settings = settings;
    }

    private static List<Variant> published() {
        List<Variant> variants = new ArrayList<>();
        variants.add(deit("tiny", "72.2% top-1"));
        variants.add(deit("small", "79.8% top-1"));
        variants.add(deit("base", "81.8% top-1"));
        variants.add(irpe("tiny", "ctx", "product", 1.9, 50, true, "k", "73.7% top-1"));
        variants.add(irpe("small", "ctx", "euc", 20, 20, true, "k", null));
        variants.add(irpe("small", "ctx", "quant", 33, 51, true, "k", null));
        variants.add(irpe("small", "ctx", "cross", 20, 56, true, "k", null));
        variants.add(irpe("small", "ctx", "product", 1.9, 50, true, "k", "80.9% top-1"));
        variants.add(irpe("small", "ctx", "product", 1.9, 50, true, "qk", "81.0% top-1"));
        variants.add(irpe("small", "ctx", "product", 1.9, 50, true, "qkv", "81.2% top-1"));
        variants.add(irpe("small", "bias", "product", 1.9, 50, true, "k", null));
        variants.add(irpe("small", "bias", "product", 1.9, 50, false, "k", null));
        variants.add(irpe("base", "ctx", "product", 1.9, 50, true, "k", "82.3% top-1"));
        variants.add(irpe("base", "ctx", "product", 1.9, 50, true, "qkv", "82.8% top-1"));
        return List.copyOf(variants);
    }

    private static DeitConfig size(String size, RpeConfig rpe) {
        return switch (size) {
            case "tiny" -> new DeitConfig(192, 12, 3, 4, 16, rpe);
            case "small" -> new DeitConfig(384, 12, 6, 4, 16, rpe);
            case "base" -> new DeitConfig(768, 12, 12, 4, 16, rpe);
            default -> throw new IllegalArgumentException(size);
        };
    }

    private static Variant deit(String size, String paper) {
        return new Variant("deit-" + size, size(size, null).architecture(), Task.square(3, 224, 1000),
                "DeiT-" + size + ", 224x224 ImageNet-1k (paper: " + paper + ")");
    }

    /** @param paper the official README's top-1, or null for a configuration without a released checkpoint */
    private static Variant irpe(String size, String mode, String method, double ratio, int used, boolean shared, String on, String paper) {
        RpeConfig rpe = RpeConfig.of(ratio, method, mode, shared, 1, on);
        String name = "irpe-deit-" + size + "-patch16-224-" + mode + "-" + method + "-" + used + (shared ? "-shared-" : "-") + on;
        return new Variant(name, size(size, rpe).architecture(), Task.square(3, 224, 1000), "DeiT-" + size + " with iRPE "
                + rpe + ", 224x224 ImageNet-1k" + (paper == null ? " (no released checkpoint)" : " (official README: " + paper + ")"));
    }

    @Override
    public List<Variant> variants() {
        return VARIANTS;
    }

    @Override
    protected Module network(Architecture architecture, Task task) {
        return new Deit(DeitConfig.of(architecture), task, settings.dropPathRate());
    }
}

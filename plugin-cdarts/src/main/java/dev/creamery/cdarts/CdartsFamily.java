package dev.creamery.cdarts;

import dev.creamery.api.Architecture;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.OfficialFamily;
import java.nio.file.Path;
import java.util.List;

/**
 * CDARTS's evaluation networks (Yu et al., "Cyclic Differentiable Architecture Search", TPAMI 2022):
 * {@code cdarts-cifar} and {@code cdarts-imagenet}, the published cells ({@code CDARTS/cells/*.json})
 * in the official layouts, and any genotype as {@code cdarts:Genotype(normal=[...], ...)} (the CIFAR
 * layout with 36 channels unless {@code layout=imagenet} and {@code channels=N} follow it) or in the
 * canonical form {@code layout=cifar channels=36 normal=[sep_conv_3x3:0,...] normal_concat=[2,3,4,5]
 * reduce=[...] reduce_concat=[2,3,4,5]}.
 */
public final class CdartsFamily extends OfficialFamily {
    /** The searched CIFAR-10 cell of {@code cells/cifar_genotype.json}. */
    static final Genotype CIFAR_CELL = Genotype.parse("Genotype(normal=[[('sep_conv_3x3', 0), ('sep_conv_3x3', 1)], "
            + "[('sep_conv_3x3', 1), ('sep_conv_3x3', 2)], [('sep_conv_3x3', 0), ('sep_conv_3x3', 1)], [('skip_connect', 0), "
            + "('skip_connect', 2)]], normal_concat=range(2, 6), reduce=[[('sep_conv_5x5', 1), ('max_pool_3x3', 0)], "
            + "[('dil_conv_5x5', 2), ('skip_connect', 0)], [('sep_conv_3x3', 0), ('sep_conv_5x5', 1)], [('sep_conv_3x3', 0), "
            + "('dil_conv_5x5', 2)]], reduce_concat=range(2, 6))");
    /** The searched ImageNet cell of {@code cells/imagenet_genotype.json}. */
    static final Genotype IMAGENET_CELL = Genotype.parse("Genotype(normal=[[('sep_conv_3x3', 1), ('sep_conv_3x3', 0)], "
            + "[('sep_conv_3x3', 0), ('sep_conv_5x5', 2)], [('sep_conv_5x5', 2), ('sep_conv_3x3', 1)], [('sep_conv_3x3', 1), "
            + "('sep_conv_5x5', 4)]], normal_concat=range(2, 6), reduce=[[('sep_conv_5x5', 1), ('avg_pool_3x3', 0)], "
            + "[('max_pool_3x3', 1), ('dil_conv_5x5', 2)], [('sep_conv_5x5', 1), ('dil_conv_5x5', 2)], [('sep_conv_3x3', 3), "
            + "('dil_conv_3x3', 4)]], reduce_concat=range(2, 6))");

    private static final Task CIFAR10 = Task.square(3, 32, 10);
    private static final Task IMAGENET1K = Task.square(3, 224, 1000);

    private static final List<Variant> VARIANTS = List.of(
            new Variant("cdarts-cifar", architecture(CIFAR_CELL, Layout.CIFAR, 36), CIFAR10,
                    "CDARTS's CIFAR-10 cell, 20 cells of 36 channels (paper: 3.9M params, 97.52% top-1)"),
            new Variant("cdarts-imagenet", architecture(IMAGENET_CELL, Layout.IMAGENET, 48), IMAGENET1K,
                    "CDARTS's ImageNet cell, 14 cells of 48 channels, 224x224 ImageNet-1k (paper: 6.1M params, 76.3% top-1)"));

    private final CdartsSettings settings;

    /** @param settings the family's settings */
    public CdartsFamily(CdartsSettings settings) {
        this.settings = settings;
    }

    static Architecture architecture(Genotype genotype, Layout layout, int channels) {
        return genotype.toArchitecture().put("layout", layout.name()).put("channels", channels).build();
    }

    @Override
    public List<Variant> variants() {
        return VARIANTS;
    }

    /** An ImageNet layout is built for ImageNet's images, a CIFAR one for CIFAR's. */
    @Override
    public Task task(Architecture architecture) {
        return Layout.of(architecture.getString("layout")) == Layout.IMAGENET ? IMAGENET1K : CIFAR10;
    }

    /**
     * @param text {@code Genotype(...)} in the official form or an official cell file
     *     ({@code cells/cifar_genotype.json}), either optionally followed by {@code layout=...} and
     *     {@code channels=...}, or the canonical form
     */
    @Override
    public Architecture parse(String text) {
        String trimmed = text.trim();
        String first = trimmed.split("\\s+", 2)[0];
        Genotype genotype;
        String tail;
        if (trimmed.startsWith("Genotype")) {
            int close = trimmed.lastIndexOf(')');
            genotype = Genotype.parse(close < 0 ? trimmed : trimmed.substring(0, close + 1));
            tail = close < 0 ? "" : trimmed.substring(close + 1);
        } else if (first.endsWith(".json")) {
            genotype = Genotype.readCellFile(Path.of(first));
            tail = trimmed.substring(first.length());
        } else {
            Architecture architecture = Architecture.parse(trimmed);
            check(architecture);
            return architecture;
        }
        Architecture rest = Architecture.parse(tail);
        for (String name : rest.names()) {
            if (!name.equals("layout") && !name.equals("channels")) {
                throw new IllegalArgumentException("after the genotype only layout=cifar|imagenet and channels=N may follow, got '"
                        + name + "'");
            }
        }
        Layout layout = Layout.of(rest.has("layout") ? rest.getString("layout") : Layout.CIFAR.name());
        return architecture(genotype, layout, rest.has("channels") ? rest.getInt("channels") : 36);
    }

    private static void check(Architecture architecture) {
        for (String name : List.of("layout", "channels", "normal", "normal_concat", "reduce", "reduce_concat")) {
            if (!architecture.has(name)) {
                throw new IllegalArgumentException("cdarts architectures name layout, channels, normal, normal_concat, reduce and "
                        + "reduce_concat; '" + name + "' is missing (or write the official Genotype(...) form)");
            }
        }
        Layout.of(architecture.getString("layout"));
        Genotype.of(architecture);
    }

    @Override
    protected Module network(Architecture architecture, Task task) {
        check(architecture);
        int channels = architecture.getInt("channels");
        if (channels < 1 || channels % 2 != 0) {
            throw new IllegalArgumentException("channels must be a positive even number (factorized reductions halve it), got " + channels);
        }
        return new CdartsNet(Genotype.of(architecture), Layout.of(architecture.getString("layout")), channels, task,
                settings.dropPathRate());
    }
}

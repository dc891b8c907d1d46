package dev.creamery.cream;

import dev.creamery.api.Architecture;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.OfficialFamily;
import java.util.List;

/**
 * The retrained child networks of Cream (Peng et al., NeurIPS 2020), {@code cream-14} ...
 * {@code cream-604}, named by their FLOPs in millions as the official README gives them, and any
 * {@code cream:stage1=[...] ... stage5=[...]} architecture. Each variant is the official
 * {@code arch_list} of {@code tools/retrain.py}, resolved as the official {@code gen_childnet} does
 * (see {@link Layout#official}), at the resolution the official test script uses for it.
 */
public final class CreamFamily extends OfficialFamily {
    private static final List<Variant> VARIANTS = List.of(
            variant(14, 64, new int[][] {{3}, {3, 3}, {3, 3}, {3}, {3}}, "53.8% top-1"),
            variant(43, 96, new int[][] {{3}, {3, 1}, {3, 1}, {3, 3, 3}, {3, 3}}, "66.3% top-1"),
            variant(114, 160, new int[][] {{3}, {3, 3}, {3, 3}, {3, 3, 3}, {3, 3}}, "72.8% top-1"),
            variant(287, 224, new int[][] {{3}, {3, 3}, {3, 1, 3}, {3, 3, 3, 3}, {3, 3, 3}}, "77.6% top-1"),
            variant(481, 224, new int[][] {{3, 4, 3, 1}, {3, 2, 3, 0}, {3, 3, 3, 1, 1}, {3, 3, 3, 3}, {3, 3, 3, 3}},
                    "79.2% top-1"),
            variant(604, 224, new int[][] {{3, 3, 2, 3, 3}, {3, 2, 3, 2, 3}, {3, 2, 3, 2, 3}, {3, 3, 2, 2, 3, 3},
                    {3, 3, 2, 3, 3, 3}}, "80.0% top-1"));

    private final CreamSettings settings;

    /** @param settings the family's settings */
    public CreamFamily(CreamSettings settings) {
        this.settings = settings;
    }

    private static Variant variant(int flops, int resolution, int[][] archList, String paper) {
        return new Variant("cream-" + flops, Layout.official(archList), Task.square(3, resolution, 1000),
                "Cream-" + flops + ", " + resolution + "x" + resolution + " ImageNet-1k (paper: " + flops + "M FLOPs, " + paper + ")");
    }

    @Override
    public List<Variant> variants() {
        return VARIANTS;
    }

    @Override
    protected Module network(Architecture architecture, Task task) {
        return CreamNet.child(Layout.blocks(architecture), task, settings.dropRate());
    }
}

package dev.creamery.autoformer;

import dev.creamery.api.Architecture;
import dev.creamery.api.InvalidArchitectureException;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.api.nn.OfficialFamily;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * AutoFormerV2 (S3) networks as standalone models: variants {@code s3-t}, {@code s3-s} and {@code s3-b}
 * are the official {@code configs/S3-{T,S,B}.yaml} networks; any member of an {@link S3Space} preset is
 * one {@code parse} away: {@code preset=paper-224 stage1.depth=2 stage1.embed_dim=96 ...}. The networks
 * are the space's own (the same class, built at the member's widths), so a search's exported winner and
 * an official model load alike.
 *
 * <p>Official checkpoints load by name. Their {@code relative_position_index} and {@code attn_mask}
 * buffers are derived buffers of the network's attentions and blocks: compared with the values the
 * network derives and dropped; one that differs is a mismatch, listed by name with every other.
 */
public final class S3Family extends OfficialFamily {
    static final String PRESET = "preset";
    private static final Task IMAGENET = Task.square(3, 224, 1000);
    private static final List<Variant> VARIANTS = List.of(
            variant("t", new int[] {2, 2, 6, 2}, new int[] {7, 7, 14, 7}, "28M params, 82.1% top-1"),
            variant("s", new int[] {2, 2, 18, 2}, new int[] {14, 14, 14, 14}, "50M params, 83.7% top-1"),
            variant("b", new int[] {2, 2, 30, 2}, new int[] {7, 7, 14, 7}, "71M params, 84.0% top-1"));

    private final S3FamilySettings settings;

    /** @param settings the family's settings */
    public S3Family(S3FamilySettings settings) {
        this.settings = settings;
    }

    /** The released models share the widths of Swin-T (96 doubling per stage, heads of 32) and MLP ratio 4. */
    private static Variant variant(String size, int[] depths, int[] windows, String readme) {
        List<S3Member.Stage> stages = new ArrayList<>();
        for (int s = 0; s < depths.length; s++) {
            double[] ratios = new double[depths[s]];
            int[] heads = new int[depths[s]];
            Arrays.fill(ratios, 4.0);
            Arrays.fill(heads, 3 << s);
            stages.add(new S3Member.Stage(depths[s], 96 << s, windows[s], ratios, heads));
        }
        Architecture architecture = new S3Member(stages).putInto(Architecture.builder().put(PRESET, S3Preset.PAPER_224.name())).build();
        return new Variant("s3-" + size, architecture, IMAGENET, "S3-" + size.toUpperCase(Locale.ROOT)
                + " (AutoFormerV2), configs/S3-" + size.toUpperCase(Locale.ROOT) + ".yaml, 224x224 ImageNet-1k (official README: "
                + readme + ")");
    }

    @Override
    public List<Variant> variants() {
        return VARIANTS;
    }

    @Override
    public Architecture parse(String text) {
        Architecture architecture = Architecture.parse(text);
        S3Member.of(architecture, preset(architecture).stages().size());
        return architecture;
    }

    @Override
    protected S3Network network(Architecture architecture, Task task) {
        S3Preset preset = preset(architecture);
        return S3Network.standalone(preset, S3Member.of(architecture, preset.stages().size()), task, settings.dropPathRate());
    }

    /** A member is built for the images and classes of its preset (a small preset: 28x28 or 32x32, 10 classes). */
    @Override
    public Task task(Architecture architecture) {
        return preset(architecture).task();
    }

    private static S3Preset preset(Architecture architecture) {
        if (!architecture.has(PRESET)) {
            throw new InvalidArchitectureException(PRESET, "an s3 architecture names its preset (" + String.join(", ", S3Preset.ALL.keySet())
                    + "), e.g. preset=tiny-28; got " + architecture.canonical());
        }
        try {
            return S3Preset.named(architecture.getString(PRESET));
        } catch (IllegalArgumentException e) {
            throw new InvalidArchitectureException(PRESET, e.getMessage());
        }
    }
}

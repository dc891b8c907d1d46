package dev.creamery.asvit;

import dev.creamery.api.Architecture;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.api.nn.OfficialFamily;
import java.util.List;

/**
 * The As-ViT family: any topology ({@code asvit:8,2,3|4,1,2|4,1,4|4,1,6|32}), built exactly as the
 * official {@code Transformer} decodes it (stride-4 overlapping patch embedding, hidden size D,
 * stage widths {@code min(1024, D * 2^i)}, heads {@code H/8, H/4, H/2, H}), with the published
 * variants {@code asvit-seed} (the README's searched seed at its search-time size) and
 * {@code asvit-large} (the README's As-ViT Large). Checkpoints use the official {@code state_dict}
 * names, so official weights load as they are.
 *
 * <p>Inputs that are not 224x224 are zero-padded, centred, to the smallest square whose side is a
 * multiple of 32 (28x28 Fashion-MNIST becomes 32x32 with an 8x8 token grid); at 224 nothing changes.
 * Its networks train with the settings' {@link ProgressiveTokenization} schedule.
 */
public final class AsVitFamily extends OfficialFamily {
    /** The README's seed topology, found by search/reinforce.py. */
    public static final String SEED = "8,2,3|4,1,2|4,1,4|4,1,6|32";
    /** The README's largest grown topology, As-ViT Large. */
    public static final String LARGE = "8,2,3,5|4,1,2,2|4,1,4,5|4,1,6,2|32,180";

    private static final Task IMAGENET = Task.square(3, 224, 1000);
    private static final List<Variant> VARIANTS = List.of(
            new Variant("asvit-seed", Topology.parse(SEED).toArchitecture(), IMAGENET,
                    "As-ViT seed topology " + SEED + " at search size (1 layer per stage, hidden 32)"),
            new Variant("asvit-large", Topology.parse(LARGE).toArchitecture(), IMAGENET,
                    "As-ViT Large " + LARGE + " (grown from the seed)"));

    private final AsVitSettings settings;

    /** A family with the default settings (full tokens throughout training). */
    public AsVitFamily() {
        this(AsVitSettings.DEFAULTS);
    }

    /** @param settings how the family's networks train */
    public AsVitFamily(AsVitSettings settings) {
        this.settings = settings;
    }

    @Override
    public List<Variant> variants() {
        return VARIANTS;
    }

    /**
     * @param text a topology string, {@code K,S,E[,L]|...|H[,D]}
     * @return its architecture
     */
    @Override
    public Architecture parse(String text) {
        return Topology.parse(text).toArchitecture();
    }

    /** Parameters as {@code sum(p.numel())}, multiply-accumulates as the official thop profile counts them, both traced. */
    @Override
    protected AsVitNetwork network(Architecture architecture, Task task) {
        return new AsVitNetwork(new Geometry(Topology.of(architecture), task), settings.progressiveTokenization());
    }

    @Override
    public AsVitNetwork build(Architecture architecture, Task task) {
        return network(architecture, task);
    }

    @Override
    public String toString() {
        return "As-ViT";
    }
}

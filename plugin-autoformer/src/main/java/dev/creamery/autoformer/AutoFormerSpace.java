package dev.creamery.autoformer;

import ai.djl.nn.Block;
import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.Dimension;
import dev.creamery.api.DimensionSpace;
import dev.creamery.api.Supernet;
import dev.creamery.api.Task;
import dev.creamery.api.WeightSharingSpace;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code autoformer} space: ViTs whose depth, embedding width, and per-layer MLP ratio and heads
 * are searched, all members sharing one weight-entangled supernet (AutoFormer, Chen et al., ICCV
 * 2021). The dimensions come in the order the official {@code evolution.py} draws and mutates them:
 * {@code depth}, then {@code mlp_ratio} and {@code num_heads} per layer, then {@code embed_dim}; depth
 * and embedding width are structural (mutated with the structure probability, {@code --s_prob}),
 * the per-layer choices with the choice probability ({@code --m_prob}).
 */
public final class AutoFormerSpace extends DimensionSpace implements WeightSharingSpace {
    private final Preset preset;
    private final double dropPathRate;
    private final List<Dimension> dimensions;

    /** @param settings the settings */
    public AutoFormerSpace(AutoFormerSpaceSettings settings) {
        this(settings.resolved(), settings.dropPathRate());
    }

    AutoFormerSpace(Preset preset, double dropPathRate) {
        this.preset = preset;
        this.dropPathRate = dropPathRate;
        Preset.Candidates c = preset.candidates();
        dimensions = List.of(Dimension.structural(Subnet.DEPTH, c.depths()), Dimension.perLayer(Subnet.MLP_RATIO, Subnet.DEPTH, c.mlpRatios()),
                Dimension.perLayer(Subnet.NUM_HEADS, Subnet.DEPTH, c.numHeads()), Dimension.structural(Subnet.EMBED_DIM, c.embedDims()));
    }

    @Override
    public List<Dimension> dimensions() {
        return dimensions;
    }

    @Override
    public Complexity complexity(Architecture architecture, Task task) {
        return standalone(preset.structure(), Subnet.of(architecture), task, dropPathRate).complexity(task);
    }

    @Override
    public Block build(Architecture architecture, Task task) {
        validate(architecture);
        return standalone(preset.structure(), Subnet.of(architecture), task, dropPathRate);
    }

    @Override
    public Supernet supernet(Task task) {
        Preset.Widths w = preset.supernet();
        int[] hidden = new int[w.depth()];
        int[] heads = new int[w.depth()];
        Arrays.fill(hidden, SuperBlock.hidden(w.embedDim(), w.mlpRatio()));
        Arrays.fill(heads, w.numHeads());
        AutoFormerNetwork network = new AutoFormerNetwork(preset.structure(), task, w.embedDim(), hidden, heads, dropPathRate);
        return new AutoFormerSupernet(this, network, task);
    }

    /** @return the resolved preset: structure, supernet widths, candidates */
    Preset preset() {
        return preset;
    }

    /**
     * @param structure what the members share
     * @param subnet the member
     * @param task the input shape and classes
     * @param dropPathRate stochastic depth of the last layer
     * @return the member's standalone network (its own widths per layer), active, not initialised
     */
    static AutoFormerNetwork standalone(Structure structure, Subnet subnet, Task task, double dropPathRate) {
        AutoFormerNetwork network = new AutoFormerNetwork(structure, task, subnet.embedDim(), subnet.hidden(), subnet.numHeads(),
                dropPathRate);
        network.activate(subnet);
        return network;
    }
}

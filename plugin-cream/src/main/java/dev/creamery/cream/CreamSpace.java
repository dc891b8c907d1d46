package dev.creamery.cream;

import ai.djl.nn.Block;
import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.Dimension;
import dev.creamery.api.DimensionSpace;
import dev.creamery.api.Supernet;
import dev.creamery.api.Task;
import dev.creamery.api.WeightSharingSpace;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code cream} space (Cream, Peng et al., NeurIPS 2020): the MobileNetV3-style frame of
 * {@link Layout} with a fixed number of layers per searchable stage, each layer one of the six
 * inverted-residual blocks of {@link Op#CHOICES}. Members share the official one-shot supernet, where
 * every layer keeps its six candidates with their own weights; a path is sampled uniformly, one
 * independent draw per layer, which is what the official sampler does (its prior is never applied,
 * see docs/cream.md). Members are child nets of the {@code cream} family.
 */
public final class CreamSpace extends DimensionSpace implements WeightSharingSpace {
    private final List<Integer> depths;
    private final double dropRate;
    private final List<Dimension> dimensions;

    /** @param settings the settings */
    public CreamSpace(CreamSpaceSettings settings) {
        this(settings.resolvedDepths(), settings.dropRate());
    }

    CreamSpace(List<Integer> depths, double dropRate) {
        this.depths = List.copyOf(depths);
        this.dropRate = dropRate;
        List<Dimension> list = new ArrayList<>();
        for (int i = 0; i < depths.size(); i++) {
            list.add(Dimension.layers(Layout.stage(i), depths.get(i), Op.names()));
        }
        dimensions = List.copyOf(list);
    }

    @Override
    public List<Dimension> dimensions() {
        return dimensions;
    }

    @Override
    public Complexity complexity(Architecture architecture, Task task) {
        return CreamNet.child(Layout.blocks(architecture), task, dropRate).complexity(task);
    }

    @Override
    public Block build(Architecture architecture, Task task) {
        validate(architecture);
        return CreamNet.child(Layout.blocks(architecture), task, dropRate);
    }

    @Override
    public Supernet supernet(Task task) {
        return new CreamSupernet(this, task);
    }

    /**
     * The FLOPs of every candidate of every layer, so that a path's FLOPs are known before it runs
     * (the official {@code FlopsEst}).
     *
     * @param task the input shape
     * @return the table
     */
    public FlopsTable flopsTable(Task task) {
        return FlopsTable.of(this, task);
    }

    /** @return the layers of each searchable stage */
    List<Integer> depths() {
        return depths;
    }
}

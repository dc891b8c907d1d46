package dev.creamery.autoformer;

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
 * The {@code s3} space: hierarchical vision transformers of windowed attention (AutoFormerV2, "Searching the
 * Search Space of Vision Transformer", Chen et al., NeurIPS 2021) whose every stage searches its depth,
 * embedding width and window, and every block its MLP ratio and heads (its query, key and value width), all
 * members sharing one weight-entangled supernet. Stage {@code i} (from 1) has the dimensions
 * {@code stage<i>.depth} and {@code stage<i>.embed_dim} (structural: they reshape the stage),
 * {@code stage<i>.window_size} (a choice), then {@code stage<i>.mlp_ratio} and {@code stage<i>.num_heads}
 * (one entry per block).
 */
public final class S3Space extends DimensionSpace implements WeightSharingSpace {
    private final S3Preset preset;
    private final double dropPathRate;
    private final List<Dimension> dimensions;

    /** @param settings the settings */
    public S3Space(S3SpaceSettings settings) {
        this(settings.resolved(), settings.dropPathRate());
    }

    S3Space(S3Preset preset, double dropPathRate) {
        this.preset = preset;
        this.dropPathRate = dropPathRate;
        List<Dimension> all = new ArrayList<>();
        for (int s = 0; s < preset.stages().size(); s++) {
            S3Preset.Stage stage = preset.stages().get(s);
            String depth = S3Member.name(s, S3Member.DEPTH);
            all.add(Dimension.structural(depth, stage.depths()));
            all.add(Dimension.structural(S3Member.name(s, S3Member.EMBED_DIM), stage.embedDims()));
            all.add(Dimension.of(S3Member.name(s, S3Member.WINDOW_SIZE), stage.windowSizes()));
            all.add(Dimension.perLayer(S3Member.name(s, S3Member.MLP_RATIO), depth, stage.mlpRatios()));
            all.add(Dimension.perLayer(S3Member.name(s, S3Member.NUM_HEADS), depth, stage.numHeads()));
        }
        dimensions = List.copyOf(all);
    }

    @Override
    public List<Dimension> dimensions() {
        return dimensions;
    }

    @Override
    public Complexity complexity(Architecture architecture, Task task) {
        return standalone(architecture, task).complexity(task);
    }

    @Override
    public Block build(Architecture architecture, Task task) {
        validate(architecture);
        return standalone(architecture, task);
    }

    @Override
    public Supernet supernet(Task task) {
        return new S3Supernet(this, new S3Network(task, preset.patchSize(), preset.headDim(), preset.rpe(), preset.widest(),
                dropPathRate), task);
    }

    /** @return the resolved preset */
    S3Preset preset() {
        return preset;
    }

    private S3Network standalone(Architecture architecture, Task task) {
        return S3Network.standalone(preset, S3Member.of(architecture, preset.stages().size()), task, dropPathRate);
    }
}

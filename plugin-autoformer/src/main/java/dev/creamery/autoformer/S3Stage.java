package dev.creamery.autoformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.RpeConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * S3's {@code BasicLayer}: the blocks of one stage on a fixed token grid, then (except in the last
 * stage) the patch merging into the next. Blocks beyond the active depth are skipped.
 */
final class S3Stage extends Module {
    private final List<S3Block> blocks = new ArrayList<>();
    private final S3PatchMerging downsample;
    private S3Member.Stage active;

    /**
     * The largest widths a stage holds.
     *
     * @param depth the number of blocks
     * @param embed the embedding width
     * @param hidden the MLP hidden width of each block
     * @param heads the heads of each block
     * @param windows the configured window sides a member may choose
     */
    record Widths(int depth, int embed, int[] hidden, int[] heads, List<Integer> windows) {}

    /**
     * @param widths the largest widths
     * @param headDim the width of a head
     * @param rpe iRPE, or null
     * @param resolution the side of the stage's token grid
     * @param nextEmbed the next stage's largest width, or 0 for the last stage
     * @param dropPaths the stochastic depth rate of each block
     */
    S3Stage(Widths widths, int headDim, RpeConfig rpe, int resolution, int nextEmbed, double[] dropPaths) {
        for (int j = 0; j < widths.depth(); j++) {
            blocks.add(addChildBlock("blocks." + j, new S3Block(widths.embed(), widths.hidden()[j], widths.heads()[j], headDim, rpe, resolution,
                    j % 2 == 1, widths.windows(), dropPaths[j])));
        }
        downsample = nextEmbed > 0 ? addChildBlock("downsample", new S3PatchMerging(widths.embed(), nextEmbed, resolution)) : null;
    }

    /**
     * @param stage the member's stage
     * @param nextEmbed the member's next stage width (ignored for the last stage)
     */
    void activate(S3Member.Stage stage, int nextEmbed) {
        if (stage.depth() > blocks.size()) {
            throw new IllegalArgumentException("a stage of " + blocks.size() + " blocks cannot run " + stage.depth());
        }
        for (int j = 0; j < stage.depth(); j++) {
            blocks.get(j).activate(stage.embedDim(), stage.mlpRatios()[j], stage.numHeads()[j], stage.windowSize());
        }
        if (downsample != null) {
            downsample.activate(stage.embedDim(), nextEmbed);
        }
        active = stage;
    }

    /** @return the active blocks */
    List<S3Block> activeBlocks() {
        return blocks.subList(0, active.depth());
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        NDArray y = x;
        for (S3Block block : activeBlocks()) {
            y = block.applyScoped(store, y, training);
        }
        return downsample == null ? y : downsample.apply(store, y, training);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        Shape shape = input;
        for (S3Block block : activeBlocks()) {
            shape = block.trace(shape, macs);
        }
        return downsample == null ? shape : downsample.trace(shape, macs);
    }

    /** @return the parameters the active member reads */
    List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        activeBlocks().forEach(block -> all.addAll(block.parameters()));
        if (downsample != null) {
            all.addAll(downsample.parameters());
        }
        return all;
    }
}

package dev.creamery.cdarts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.creamery.api.EpochAware;
import dev.creamery.api.Task;
import dev.creamery.api.nn.Act;
import dev.creamery.api.nn.BatchNorm;
import dev.creamery.api.nn.Conv2d;
import dev.creamery.api.nn.Linear;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.Pool;
import dev.creamery.api.nn.Sequential;
import java.util.ArrayList;
import java.util.List;

/**
 * The evaluation network of a genotype, the official {@code ModelTest} (the retrained network
 * without its auxiliary head): a stem ({@code feature_extractor}), three layers of cells whose flagged
 * layers end in a reduction cell of twice the width ({@code nas_layers.<layer>.<cell>}), global
 * average pooling and a linear classifier ({@code fc}). Each cell reads the outputs of the two cells
 * before it. In training every operation but the identity is dropped by path, at a rate that grows
 * linearly over the epochs as the official retraining sets it.
 */
final class CdartsNet extends Module implements EpochAware {
    private final List<Cell> cells = new ArrayList<>();
    private final Layout layout;
    private final Module stem0;
    private final Module stem1;
    private final Linear fc;
    private final double dropPath;

    /**
     * @param genotype every cell's genotype
     * @param layout the stem and the cells per layer
     * @param channels the first layer's node width ({@code init_channels})
     * @param task the input and the classes
     * @param dropPath the largest drop-path rate, reached at the last epoch
     */
    CdartsNet(Genotype genotype, Layout layout, int channels, Task task, double dropPath) {
        this.dropPath = dropPath;
        int stem = Layout.STEM_MULTIPLIER * channels;
        this.layout = layout;
        Sequential layers = addChildBlock("nas_layers", new Sequential());
        List<Sequential> rows = new ArrayList<>();
        for (int layer = 0; layer < layout.cells().length; layer++) {
            Sequential row = new Sequential();
            layers.add(row);
            rows.add(row);
        }
        List<Layout.Slot> slots = layout.slots(channels, reduction -> (reduction ? genotype.reduceConcat() : genotype.normalConcat()).size());
        for (Layout.Slot slot : slots) {
            Cell cell = new Cell(genotype, slot.reduction(), slot.previousReduction(), slot.channelsPrevPrev(), slot.channelsPrev(),
                    slot.channels());
            rows.get(slot.layer()).add(cell);
            cells.add(cell);
        }
        Layout.Slot last = slots.get(slots.size() - 1);
        int previous = last.channels() * cells.get(cells.size() - 1).outputs();
        Sequential features = addChildBlock("feature_extractor", new Sequential());
        if (layout.reducedStem()) {
            stem0 = new Sequential(new Conv2d(task.channels(), stem / 2, 3, 2, 1, 1, false), new BatchNorm(stem / 2, 1f), Act.relu(),
                    new Conv2d(stem / 2, stem, 3, 2, 1, 1, false), new BatchNorm(stem, 1f));
            stem1 = new Sequential(Act.relu(), new Conv2d(stem, stem, 3, 2, 1, 1, false), new BatchNorm(stem, 1f));
            features.add(stem0);
            features.add(stem1);
        } else {
            stem0 = new Sequential(new Conv2d(task.channels(), stem, 3, 1, 1, 1, false), new BatchNorm(stem, 1f));
            stem1 = null;
            features.add(stem0);
        }
        fc = addChildBlock("fc", new Linear(previous, task.classes()));
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        List<NDArray> stages = stages(store, x, training);
        return stages.get(stages.size() - 1);
    }

    /**
     * @return the output of every layer but the last, then the logits: what CDARTS's distillation heads
     *     read besides the classifier
     */
    List<NDArray> stages(ParameterStore store, NDArray x, boolean training) {
        NDArray s0 = stem0.apply(store, x, training);
        NDArray s1 = stem1 == null ? s0 : stem1.apply(store, s0, training);
        List<NDArray> stages = layout.chain(s0, s1, (i, a, b) -> cells.get(i).apply(store, a, b, training));
        stages.set(stages.size() - 1, classify(fc, store, stages.get(stages.size() - 1), training));
        return stages;
    }

    /** Global average pooling and the classifier. */
    static NDArray classify(Linear fc, ParameterStore store, NDArray features, boolean training) {
        NDArray pooled = Pool.spatialMean(features);
        return fc.apply(store, pooled.reshape(pooled.getShape().get(0), pooled.getShape().get(1)), training);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        Shape s0 = stem0.trace(input, macs);
        Shape s1 = stem1 == null ? s0 : stem1.trace(s0, macs);
        List<Shape> stages = layout.chain(s0, s1, (i, a, b) -> cells.get(i).trace(a, b, macs));
        Shape last = stages.get(stages.size() - 1);
        return fc.trace(new Shape(last.get(0), last.get(1)), macs);
    }

    /** The official retraining's {@code drop_path_prob * epoch / epochs}, its epochs counted from 0. */
    @Override
    public void beginEpoch(int epoch, int epochs) {
        double rate = dropPath * (epoch - 1) / epochs;
        cells.forEach(c -> c.dropPath(rate));
    }

    @Override
    public void endTraining() {
        cells.forEach(c -> c.dropPath(0));
    }
}

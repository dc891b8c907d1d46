package dev.creamery.cream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import dev.creamery.api.Task;
import dev.creamery.api.nn.Act;
import dev.creamery.api.nn.BatchNorm;
import dev.creamery.api.nn.Conv2d;
import dev.creamery.api.nn.ConvNorm;
import dev.creamery.api.nn.Linear;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.Pool;
import dev.creamery.api.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The official {@code ChildNet} and {@code SuperNet} frame: stem, {@code blocks.0} ... {@code blocks.6},
 * then global pooling <em>before</em> the 1x1 head convolution (as the official forward does), swish,
 * dropout and the classifier. In a child net each searchable layer is one block; in the supernet it is
 * a {@link ChoiceLayer} of all six. Fully convolutional: any input side works. Its FLOPs are the
 * official profiler's ({@link ProfilerCount}), so the variants report what the official README prints.
 */
final class CreamNet extends Module {
    private final Conv2d convStem;
    private final BatchNorm bn1;
    private final ConvNorm stem;
    private final Sequential blocks;
    private final Conv2d convHead;
    private final Linear classifier;
    private final float dropRate;

    private CreamNet(Task task, Sequential blocks, double dropRate) {
        convStem = addChildBlock("conv_stem", MobileBlock.conv(task.channels(), Layout.STEM, 3, 2, 1));
        bn1 = addChildBlock("bn1", new BatchNorm(Layout.STEM, 1f));
        stem = new ConvNorm(convStem, bn1);
        this.blocks = addChildBlock("blocks", blocks);
        convHead = addChildBlock("conv_head", new Conv2d(Layout.LAST, Layout.FEATURES, 1, 1, 0, 1, true));
        classifier = addChildBlock("classifier", new Linear(Layout.FEATURES, task.classes()));
        this.dropRate = (float) dropRate;
        GoogleInit.apply(this);
    }

    /**
     * @param stages the blocks of each searchable stage
     * @param task the input shape and classes
     * @param dropRate dropout before the classifier in training
     * @return the child net, not initialised
     */
    static CreamNet child(List<List<Op>> stages, Task task, double dropRate) {
        List<Integer> depths = stages.stream().map(List::size).toList();
        return new CreamNet(task, frame(depths, (stage, layer) -> block(stage, layer, stages.get(stage).get(layer))), dropRate);
    }

    /**
     * @param depths the number of layers of each searchable stage
     * @param task the input shape and classes
     * @param layers receives the choice layers, per stage
     * @return the supernet (dropout 0, as the official supernet trains), not initialised
     */
    static CreamNet supernet(List<Integer> depths, Task task, List<List<ChoiceLayer>> layers) {
        for (int i = 0; i < depths.size(); i++) {
            layers.add(new ArrayList<>());
        }
        return new CreamNet(task, frame(depths, (stage, layer) -> {
            List<MobileBlock> choices = Op.CHOICES.stream().map(op -> block(stage, layer, op)).toList();
            ChoiceLayer choice = new ChoiceLayer(choices);
            layers.get(stage).add(choice);
            return choice;
        }), 0);
    }

    private static MobileBlock block(int stage, int layer, Op op) {
        int in = layer > 0 ? Layout.CHANNELS[stage] : stage > 0 ? Layout.CHANNELS[stage - 1] : Layout.STEM;
        return new MobileBlock.InvertedResidual(in, Layout.CHANNELS[stage], op, layer == 0 ? Layout.STRIDES[stage] : 1);
    }

    /** The depthwise-separable block, the searchable stages from {@code layer(stage, index)}, the 1x1 to 320 channels. */
    private static Sequential frame(List<Integer> depths, BiFunction<Integer, Integer, Module> layer) {
        Sequential blocks = new Sequential();
        blocks.add(new Sequential(new MobileBlock.DepthwiseSeparable(Layout.STEM, Layout.STEM, 3, 1)));
        for (int i = 0; i < depths.size(); i++) {
            Sequential stage = new Sequential();
            for (int j = 0; j < depths.get(i); j++) {
                stage.add(layer.apply(i, j));
            }
            blocks.add(stage);
        }
        blocks.add(new Sequential(new MobileBlock.ConvBnAct(Layout.CHANNELS[depths.size() - 1], Layout.LAST, 1)));
        return blocks;
    }

    @Override
    public void prepareInference() {
        super.prepareInference();
        stem.prepare(1);
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        NDArray y = Act.swish(stem.apply(store, x, training));
        y = Pool.spatialMean(blocks.apply(store, y, training));
        y = Act.swish(convHead.apply(store, y, training)).squeeze(new int[] {2, 3});
        if (training && dropRate > 0) {
            y = Dropout.dropout(y, dropRate, true).singletonOrThrow();
        }
        return classifier.apply(store, y, training);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        Shape y = blocks.trace(stem(input, macs), macs);
        y = ProfilerCount.biased(convHead, ProfilerCount.pool(y, macs), macs);
        return classifier.trace(new Shape(y.get(0), y.get(1)), macs);
    }

    /**
     * @param input the image batch shape
     * @param macs receives the stem's FLOPs
     * @return the shape after the stem
     */
    Shape stem(Shape input, Macs macs) {
        return ProfilerCount.norm(bn1, convStem.trace(input, macs), macs);
    }

    /** @return {@code blocks}: stage 0, the searchable stages, the last stage */
    Sequential blocks() {
        return blocks;
    }
}

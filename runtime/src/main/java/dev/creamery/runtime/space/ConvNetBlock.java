package dev.creamery.runtime.space;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.creamery.api.StateDict;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain convolutional network whose active depth, per-layer widths and kernel sizes can be
 * smaller than the ones it was built with: each layer then uses the leading output and input
 * channels and the centre of its largest kernel (weight sharing as in OFA / AutoFormer). Built with
 * exactly one member's sizes it is that member's standalone network.
 *
 * <p>Layout: a 3×3 stem convolution, then {@code depth} convolutions (the first two with stride 2),
 * each followed by a normalisation over channels and pixels of each example (group norm with one
 * group: no running statistics, so members share it cleanly and it works at batch size 1) and
 * ReLU; global average pooling; a linear classifier.
 */
final class ConvNetBlock extends AbstractBlock {
    private final int stem;
    private final int[] maxWidths;
    private final int[] maxKernels;
    private final int classes;
    private final Parameter stemWeight;
    private final Parameter stemBias;
    private final Parameter stemScale;
    private final Parameter stemShift;
    private final List<Parameter> weights = new ArrayList<>();
    private final List<Parameter> biases = new ArrayList<>();
    private final List<Parameter> scales = new ArrayList<>();
    private final List<Parameter> shifts = new ArrayList<>();
    private final Parameter headWeight;
    private final Parameter headBias;
    private int depth;
    private int[] widths;
    private int[] kernels;

    ConvNetBlock(int channels, int stem, int[] maxWidths, int[] maxKernels, int classes) {
        this.stem = stem;
        this.maxWidths = maxWidths.clone();
        this.maxKernels = maxKernels.clone();
        this.classes = classes;
        this.stemWeight = addParameter(conv("stem_weight", new Shape(stem, channels, 3, 3)));
        this.stemBias = addParameter(bias("stem_bias", stem));
        this.stemScale = addParameter(scale("stem_norm_weight", stem));
        this.stemShift = addParameter(bias("stem_norm_bias", stem));
        int in = stem;
        for (int i = 0; i < maxWidths.length; i++) {
            weights.add(addParameter(conv("layer" + i + "_weight", new Shape(maxWidths[i], in, maxKernels[i], maxKernels[i]))));
            biases.add(addParameter(bias("layer" + i + "_bias", maxWidths[i])));
            scales.add(addParameter(scale("layer" + i + "_norm_weight", maxWidths[i])));
            shifts.add(addParameter(bias("layer" + i + "_norm_bias", maxWidths[i])));
            in = maxWidths[i];
        }
        // Every layer of a supernet has the same widest width, so the last layer's bounds the head.
        this.headWeight = addParameter(conv("head_weight", new Shape(classes, maxWidths[maxWidths.length - 1])));
        this.headBias = addParameter(bias("head_bias", classes));
        activate(maxWidths.length, maxWidths, maxKernels);
    }

    private static Parameter conv(String name, Shape shape) {
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape)
                .optInitializer(new NormalInitializer((float) Math.sqrt(2.0 / (shape.size() / shape.get(0))))).build();
    }

    private static Parameter scale(String name, int size) {
        return Parameter.builder().setName(name).setType(Parameter.Type.GAMMA).optShape(new Shape(size))
                .optInitializer(Initializer.ONES).build();
    }

    private static Parameter bias(String name, int size) {
        return Parameter.builder().setName(name).setType(Parameter.Type.BIAS).optShape(new Shape(size))
                .optInitializer(Initializer.ZEROS).build();
    }

    void activate(int activeDepth, int[] activeWidths, int[] activeKernels) {
        this.depth = activeDepth;
        this.widths = activeWidths.clone();
        this.kernels = activeKernels.clone();
    }

    /** @return the parameters the active member uses */
    List<Parameter> activeParameters() {
        List<Parameter> active = new ArrayList<>(List.of(stemWeight, stemBias, stemScale, stemShift));
        for (int i = 0; i < depth; i++) {
            active.add(weights.get(i));
            active.add(biases.get(i));
            active.add(scales.get(i));
            active.add(shifts.get(i));
        }
        active.add(headWeight);
        active.add(headBias);
        return active;
    }

    /**
     * @param target a block built with exactly the active member's sizes
     * @param scratch owns temporaries
     */
    void copyActiveInto(ConvNetBlock target, NDManager scratch) {
        copy(stemWeight.getArray(), target.stemWeight);
        copy(stemBias.getArray(), target.stemBias);
        copy(stemScale.getArray(), target.stemScale);
        copy(stemShift.getArray(), target.stemShift);
        int in = stem;
        for (int i = 0; i < depth; i++) {
            copy(slice(weights.get(i).getArray(), widths[i], in, kernels[i], maxKernels[i], scratch), target.weights.get(i));
            copy(slice1d(biases.get(i).getArray(), widths[i], scratch), target.biases.get(i));
            copy(slice1d(scales.get(i).getArray(), widths[i], scratch), target.scales.get(i));
            copy(slice1d(shifts.get(i).getArray(), widths[i], scratch), target.shifts.get(i));
            in = widths[i];
        }
        NDArray head = headWeight.getArray().get(":, :{}", in);
        head.attach(scratch);
        copy(head, target.headWeight);
        copy(headBias.getArray(), target.headBias);
    }

    private static void copy(NDArray source, Parameter target) {
        StateDict.copy(source, target.getArray());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDManager manager = x.getManager();
        NDArray w = store.getValue(stemWeight, x.getDevice(), training);
        NDArray b = store.getValue(stemBias, x.getDevice(), training);
        x = Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow();
        x = Activation.relu(normalize(x, store.getValue(stemScale, x.getDevice(), training),
                store.getValue(stemShift, x.getDevice(), training)));
        int in = stem;
        for (int i = 0; i < depth; i++) {
            NDArray weight = slice(store.getValue(weights.get(i), x.getDevice(), training), widths[i], in, kernels[i], maxKernels[i],
                    manager);
            NDArray bias = slice1d(store.getValue(biases.get(i), x.getDevice(), training), widths[i], manager);
            int stride = i < 2 ? 2 : 1;
            int pad = kernels[i] / 2;
            x = Conv2d.conv2d(x, weight, bias, new Shape(stride, stride), new Shape(pad, pad), new Shape(1, 1), 1).singletonOrThrow();
            NDArray scale = slice1d(store.getValue(scales.get(i), x.getDevice(), training), widths[i], manager);
            NDArray shift = slice1d(store.getValue(shifts.get(i), x.getDevice(), training), widths[i], manager);
            x = Activation.relu(normalize(x, scale, shift));
            in = widths[i];
        }
        NDArray pooled = x.reshape(x.getShape().get(0), x.getShape().get(1), -1).mean(new int[] {2});
        NDArray head = store.getValue(headWeight, x.getDevice(), training).get(":, :{}", in);
        head.attach(manager);
        return Linear.linear(pooled, head, store.getValue(headBias, x.getDevice(), training));
    }

    /** Normalises each example over channels and pixels, then scales and shifts each channel. */
    private static NDArray normalize(NDArray x, NDArray scale, NDArray shift) {
        long n = x.getShape().get(0);
        long c = x.getShape().get(1);
        NDArray flat = x.reshape(n, -1);
        NDArray mean = flat.mean(new int[] {1}, true);
        NDArray centered = flat.sub(mean);
        NDArray variance = centered.square().mean(new int[] {1}, true);
        NDArray normalized = centered.div(variance.add(1e-5f).sqrt()).reshape(x.getShape());
        // Reshaping a parameter is an op on the parameter: its result must join the step's manager.
        NDArray channelScale = scale.reshape(1, c, 1, 1);
        NDArray channelShift = shift.reshape(1, c, 1, 1);
        channelScale.attach(x.getManager());
        channelShift.attach(x.getManager());
        return normalized.mul(channelScale).add(channelShift);
    }

    /** Slices the leading channels and the centre of the kernel; the result belongs to {@code owner}. */
    private static NDArray slice(NDArray weight, int out, int in, int kernel, int maxKernel, NDManager owner) {
        long[] shape = weight.getShape().getShape();
        if (out == shape[0] && in == shape[1] && kernel == maxKernel) {
            return weight;
        }
        int start = (maxKernel - kernel) / 2;
        NDArray slice = weight.get(":{}, :{}, {}:{}, {}:{}", out, in, start, start + kernel, start, start + kernel);
        slice.attach(owner);
        return slice;
    }

    private static NDArray slice1d(NDArray bias, int size, NDManager owner) {
        if (bias.getShape().get(0) == size) {
            return bias;
        }
        NDArray slice = bias.get(":{}", size);
        slice.attach(owner);
        return slice;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
    }
}

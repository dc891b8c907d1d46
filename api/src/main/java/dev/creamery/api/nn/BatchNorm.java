package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nn.BatchNorm1d} / {@code nn.BatchNorm2d} over dimension 1 with PyTorch's defaults (eps 1e-5,
 * momentum 0.1): parameters {@code weight}, {@code bias}, and the running statistics
 * {@code running_mean}, {@code running_var} (not learnable). The official {@code num_batches_tracked}
 * is a {@linkplain #derivedBuffers() derived buffer}.
 */
public final class BatchNorm extends Module {
    /** PyTorch's eps, a double. */
    private static final double EPS = 1e-5;
    /**
     * DJL's {@code batchNorm} takes eps as a float, and {@code 1e-5f} is 9.99999974737875e-6. PyTorch
     * adds eps in the input's type (see {@link Norms}): in float32 both are {@code 1e-5f}, but in
     * float64 the float eps makes every batch norm 1.3e-13 relative off the official one, which
     * EfficientViT's attention amplifies to 4e-8 of its logits. The rest of eps is added to the running
     * variance.
     */
    private static final float FLOAT_EPS = (float) EPS;
    private static final double EPS_REMAINDER = Norms.floatRemainder(EPS);
    /** DJL's momentum is the weight of the old running value: PyTorch's 0.1 is DJL's 0.9. */
    private static final float MOMENTUM = 0.9f;
    /** On the PyTorch engine, axis -1 calls torch's batch_norm directly (channels at dimension 1). */
    private static final int TORCH_AXIS = -1;

    private final int channels;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter runningMean;
    private final Parameter runningVar;
    /** Training batches averaged into the running statistics so far while recalibrating; -1 otherwise. */
    private long averaged = -1;

    /**
     * @param channels the normalised channels
     * @param weightInit the initial scale (the official code starts some of them at 0)
     */
    public BatchNorm(int channels, float weightInit) {
        this(channels, weightInit, true);
    }

    private BatchNorm(int channels, float weightInit, boolean affine) {
        this.channels = channels;
        Shape shape = new Shape(channels);
        weight = affine ? parameter("weight", Parameter.Type.GAMMA, shape, new ConstantInitializer(weightInit), true) : null;
        bias = affine ? parameter("bias", Parameter.Type.BETA, shape, Initializer.ZEROS, true) : null;
        runningMean = parameter("running_mean", Parameter.Type.RUNNING_MEAN, shape, Initializer.ZEROS, false);
        runningVar = parameter("running_var", Parameter.Type.RUNNING_VAR, shape, Initializer.ONES, false);
    }

    /**
     * PyTorch's {@code BatchNorm2d(channels, affine=False)}: normalises without a learned scale and
     * shift (DARTS's search cells, whose mixed operations are weighted by the architecture instead).
     *
     * @param channels the normalised channels
     * @return a batch norm with running statistics only
     */
    public static BatchNorm withoutAffine(int channels) {
        return new BatchNorm(channels, 1f, false);
    }

    /**
     * The batch norms of a network.
     *
     * @param root a network
     * @return every batch norm under it (itself included), in depth-first order
     */
    public static List<BatchNorm> in(Block root) {
        List<BatchNorm> found = new ArrayList<>();
        if (root instanceof BatchNorm norm) {
            found.add(norm);
        }
        for (Pair<String, Block> child : root.getChildren()) {
            found.addAll(in(child.getValue()));
        }
        return found;
    }

    /**
     * Starts a recalibration (SPOS): from the next training pass on, the running statistics become the
     * plain average of the statistics of the batches that pass through (PyTorch's {@code momentum=None}),
     * what they were before counting for nothing.
     */
    public void startAveraging() {
        averaged = 0;
    }

    /** Ends a recalibration: the running statistics move with momentum 0.1 again. */
    public void stopAveraging() {
        averaged = -1;
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        float momentum = MOMENTUM;
        if (training && averaged >= 0) {
            // The n-th batch weighs 1/n: a cumulative average, from the first batch alone at n = 1.
            momentum = (float) averaged / (averaged + 1);
            averaged++;
        }
        var device = x.getDevice();
        NDArray variance = store.getValue(runningVar, device, training);
        if (!training && x.getDataType() == DataType.FLOAT64) {
            // Only at inference, where the running variance is read and not updated in place. The sum is
            // made in the batch's manager (the op's receiver owns its result): it goes with the batch.
            try (NDArray remainder = x.getManager().create(EPS_REMAINDER)) {
                variance = remainder.add(variance);
            }
        }
        return x.getNDArrayInternal().batchNorm(x, store.getValue(runningMean, device, training), variance,
                affine(weight, x, store, training, 1), affine(bias, x, store, training, 0), TORCH_AXIS, momentum,
                FLOAT_EPS, training).singletonOrThrow();
    }

    /**
     * The per-channel map this norm applies at inference, {@code x * scale + shift}, from its
     * statistics and parameters as they are now ({@code scale = weight / sqrt(running_var + eps)},
     * {@code shift = bias - running_mean * scale}), computed in float64 with the eps of the arrays'
     * own type and without gradients: what folding it into the layer before it needs.
     *
     * @param manager where the two float64 arrays are made
     * @return {@code scale} and {@code shift}, each {@code (channels)}, in float64
     */
    NDList inferenceAffine(NDManager manager) {
        NDArray variance = runningVar.getArray();
        // The eps batch norm itself adds: exactly 1e-5 in float64, 1e-5f in float32 (see FLOAT_EPS).
        double eps = variance.getDataType() == DataType.FLOAT64 ? EPS : FLOAT_EPS;
        try (NDManager scope = manager.newSubManager()) {
            NDArray std = inFloat64(variance, scope).add(eps).sqrt();
            NDArray scale = weight == null ? std.onesLike().div(std) : inFloat64(weight.getArray(), scope).div(std);
            NDArray shift = inFloat64(runningMean.getArray(), scope).mul(scale).neg();
            if (bias != null) {
                shift = shift.add(inFloat64(bias.getArray(), scope));
            }
            NDList result = new NDList(scale.stopGradient(), shift.stopGradient());
            result.attach(manager);
            return result;
        }
    }

    /** A float64 copy of a parameter's array, in {@code scope} (the receiver's manager would be the model's). */
    private static NDArray inFloat64(NDArray array, NDManager scope) {
        NDArray copy = array.toType(DataType.FLOAT64, true);
        copy.attach(scope);
        return copy;
    }

    /** A learned scale or shift, or its constant (made in the batch's manager, which closes with the step) without affine. */
    private NDArray affine(Parameter parameter, NDArray x, ParameterStore store, boolean training, float constant) {
        if (parameter != null) {
            return store.getValue(parameter, x.getDevice(), training);
        }
        return x.getManager().full(new Shape(channels), constant, x.getDataType());
    }

    /** PyTorch counts batches in a buffer read only when the momentum is unset; here it never is. */
    @Override
    public List<DerivedBuffer> derivedBuffers() {
        return List.of(DerivedBuffer.unused("num_batches_tracked", new Shape(),
                "batch norm's batch counter, which a fixed momentum never reads (any value)"));
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        if (input.dimension() < 2 || input.get(1) != channels) {
            throw new IllegalArgumentException("batch norm expects " + channels + " channels at dimension 1, got " + input);
        }
        return input;
    }
}

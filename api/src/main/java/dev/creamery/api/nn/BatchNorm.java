package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;

/**
 * {@code nn.BatchNorm1d} / {@code nn.BatchNorm2d} over dimension 1 with PyTorch's defaults (eps 1e-5,
 * momentum 0.1): parameters {@code weight}, {@code bias}, and the running statistics
 * {@code running_mean}, {@code running_var} (not learnable).
 */
public final class BatchNorm extends Module {
    private static final float EPS = 1e-5f;
    /** DJL's momentum is the weight of the old running value: PyTorch's 0.1 is DJL's 0.9. */
    private static final float MOMENTUM = 0.9f;
    /** On the PyTorch engine, axis -1 calls torch's batch_norm directly (channels at dimension 1). */
    private static final int TORCH_AXIS = -1;

    private final int channels;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter runningMean;
    private final Parameter runningVar;

    /**
     * @param channels the normalised channels
     * @param weightInit the initial scale (the official code starts some of them at 0)
     */
    public BatchNorm(int channels, float weightInit) {
        this.channels = channels;
        Shape shape = new Shape(channels);
        weight = parameter("weight", Parameter.Type.GAMMA, shape, new ConstantInitializer(weightInit), true);
        bias = parameter("bias", Parameter.Type.BETA, shape, Initializer.ZEROS, true);
        runningMean = parameter("running_mean", Parameter.Type.RUNNING_MEAN, shape, Initializer.ZEROS, false);
        runningVar = parameter("running_var", Parameter.Type.RUNNING_VAR, shape, Initializer.ONES, false);
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        var device = x.getDevice();
        return x.getNDArrayInternal().batchNorm(x, store.getValue(runningMean, device, training),
                store.getValue(runningVar, device, training), store.getValue(weight, device, training),
                store.getValue(bias, device, training), TORCH_AXIS, MOMENTUM, EPS, training).singletonOrThrow();
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        if (input.dimension() < 2 || input.get(1) != channels) {
            throw new IllegalArgumentException("batch norm expects " + channels + " channels at dimension 1, got " + input);
        }
        return input;
    }
}

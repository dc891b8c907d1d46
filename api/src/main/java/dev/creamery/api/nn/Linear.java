package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.TruncatedNormalInitializer;

/**
 * {@code nn.Linear} over the last dimension: parameters {@code weight} (out, in) and, unless built
 * without, {@code bias}, initialised as the official codebases do ({@code trunc_normal_(std=0.02)},
 * zero bias).
 */
public final class Linear extends Module {
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * @param in input features
     * @param out output features
     */
    public Linear(int in, int out) {
        this(in, out, true);
    }

    /**
     * @param in input features
     * @param out output features
     * @param bias whether there is a bias
     */
    public Linear(int in, int out, boolean bias) {
        this.in = in;
        this.out = out;
        weight = parameter("weight", Parameter.Type.WEIGHT, new Shape(out, in), new TruncatedNormalInitializer(0.02f), true);
        this.bias = bias ? parameter("bias", Parameter.Type.BIAS, new Shape(out), Initializer.ZEROS, true) : null;
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        return x.getNDArrayInternal().linear(x, store.getValue(weight, x.getDevice(), training),
                bias == null ? null : store.getValue(bias, x.getDevice(), training)).singletonOrThrow();
    }

    /**
     * The layer without its bias: its derivative, how a tangent (or a difference of two inputs)
     * moves through it.
     *
     * @param store where parameter values come from
     * @param x the tangent
     * @param training whether to run in training mode
     * @return {@code x · weightᵀ}
     */
    public NDArray applyLinearPart(ParameterStore store, NDArray x, boolean training) {
        return x.getNDArrayInternal().linear(x, store.getValue(weight, x.getDevice(), training), null).singletonOrThrow();
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        if (input.getLastDimension() != in) {
            throw new IllegalArgumentException("linear layer expects " + in + " features last, got " + input);
        }
        macs.add(input.size() / in * out * (long) in);
        return input.slice(0, input.dimension() - 1).add(out);
    }
}

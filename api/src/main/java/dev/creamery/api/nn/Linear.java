package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.TruncatedNormalInitializer;

/**
 * {@code nn.Linear} over the last dimension: parameters {@code weight} (out, in) and {@code bias},
 * initialised as both official codebases do ({@code trunc_normal_(std=0.02)}, zero bias).
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
        this.in = in;
        this.out = out;
        weight = parameter("weight", Parameter.Type.WEIGHT, new Shape(out, in), new TruncatedNormalInitializer(0.02f), true);
        bias = parameter("bias", Parameter.Type.BIAS, new Shape(out), Initializer.ZEROS, true);
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        return x.getNDArrayInternal().linear(x, store.getValue(weight, x.getDevice(), training),
                store.getValue(bias, x.getDevice(), training)).singletonOrThrow();
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

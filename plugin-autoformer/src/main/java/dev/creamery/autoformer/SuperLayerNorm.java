package dev.creamery.autoformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;

/** AutoFormer's {@code LayerNormSuper}: layer norm over the leading {@code features} of its weights (eps 1e-5). */
final class SuperLayerNorm extends Module {
    private static final float EPS = 1e-5f;

    private final int maxFeatures;
    private final Parameter weight;
    private final Parameter bias;
    private int features;

    /** @param maxFeatures the largest normalised width */
    SuperLayerNorm(int maxFeatures) {
        this.maxFeatures = maxFeatures;
        weight = parameter("weight", Parameter.Type.GAMMA, new Shape(maxFeatures), Initializer.ONES, true);
        bias = parameter("bias", Parameter.Type.BETA, new Shape(maxFeatures), Initializer.ZEROS, true);
        features = maxFeatures;
    }

    /** @param activeFeatures the width the active member normalises */
    void activate(int activeFeatures) {
        if (activeFeatures < 1 || activeFeatures > maxFeatures) {
            throw new IllegalArgumentException("a layer norm of " + maxFeatures + " cannot run " + activeFeatures + " features");
        }
        features = activeFeatures;
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        NDArray w = Slices.leading(store.getValue(weight, x.getDevice(), training), x, features);
        NDArray b = Slices.leading(store.getValue(bias, x.getDevice(), training), x, features);
        return x.getNDArrayInternal().layerNorm(x, new Shape(features), w, b, EPS).singletonOrThrow();
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        if (input.getLastDimension() != features) {
            throw new IllegalArgumentException("layer norm expects " + features + " features last, got " + input);
        }
        return input;
    }

    /** @return the parameters the active member reads */
    Parameter[] parameters() {
        return new Parameter[] {weight, bias};
    }
}

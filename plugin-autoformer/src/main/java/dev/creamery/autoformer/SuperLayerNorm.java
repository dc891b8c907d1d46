package dev.creamery.autoformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.Norms;

/**
 * AutoFormer's {@code LayerNormSuper}: layer norm over the leading {@code features} of its weights (eps 1e-5, in the
 * input's type: see {@link Norms}).
 * A grouped norm (S3's patch merging, over four gathered pixels) reads the leading part of each of its
 * equal, consecutive feature groups.
 */
final class SuperLayerNorm extends Module implements Entangled {
    /** PyTorch's eps, a double. */
    private static final double EPS = 1e-5;

    private final int maxFeatures;
    private final int groups;
    private final Parameter weight;
    private final Parameter bias;
    private int features;

    /** @param maxFeatures the largest normalised width */
    SuperLayerNorm(int maxFeatures) {
        this(maxFeatures, 1);
    }

    /**
     * @param maxFeatures the largest normalised width, all groups together
     * @param groups the number of equal feature groups
     */
    SuperLayerNorm(int maxFeatures, int groups) {
        this.maxFeatures = maxFeatures;
        this.groups = groups;
        weight = parameter("weight", Parameter.Type.GAMMA, new Shape(maxFeatures), Initializer.ONES, true);
        bias = parameter("bias", Parameter.Type.BETA, new Shape(maxFeatures), Initializer.ZEROS, true);
        features = maxFeatures;
    }

    /** @param activeFeatures the width the active member normalises */
    void activate(int activeFeatures) {
        if (activeFeatures < 1 || activeFeatures > maxFeatures || activeFeatures % groups != 0) {
            throw new IllegalArgumentException("a layer norm of " + maxFeatures + " cannot run " + activeFeatures + " features");
        }
        features = activeFeatures;
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        Shape normalized = new Shape(features);
        NDArray w = share(weight, store.getValue(weight, x.getDevice(), training), normalized, x.getManager());
        NDArray b = share(bias, store.getValue(bias, x.getDevice(), training), normalized, x.getManager());
        return Norms.layerNorm(x, normalized, w, b, EPS);
    }

    @Override
    public NDArray share(Parameter parameter, NDArray value, Shape shape, NDManager owner) {
        return Slices.grouped(value, new int[] {groups}, shape, owner);
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

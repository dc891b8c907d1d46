package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/**
 * {@code nn.LayerNorm} over the last dimension (eps 1e-5 unless given, in the input's type: see
 * {@link Norms}): parameters {@code weight}, {@code bias}.
 */
public final class LayerNorm extends Module {
    /** PyTorch's eps, a double. */
    private static final double EPS = 1e-5;

    private final double eps;
    private final int features;
    private final Shape normalized;
    private final Parameter weight;
    private final Parameter bias;

    /** @param features the size of the normalised last dimension */
    public LayerNorm(int features) {
        this(features, EPS);
    }

    /**
     * @param features the size of the normalised last dimension
     * @param eps added to the variance (timm's ViTs use 1e-6)
     */
    public LayerNorm(int features, double eps) {
        this.eps = eps;
        this.features = features;
        this.normalized = new Shape(features);
        weight = parameter("weight", Parameter.Type.GAMMA, normalized, Initializer.ONES, true);
        bias = parameter("bias", Parameter.Type.BETA, normalized, Initializer.ZEROS, true);
    }

    /** @return the scale, for code that differentiates the norm itself (As-ViT's forward-mode derivatives) */
    public Parameter weight() {
        return weight;
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        return Norms.layerNorm(x, normalized, store.getValue(weight, x.getDevice(), training),
                store.getValue(bias, x.getDevice(), training), eps);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        if (input.getLastDimension() != features) {
            throw new IllegalArgumentException("layer norm expects " + features + " features last, got " + input);
        }
        return input;
    }
}

package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A convolution and the batch norm after it as one convolution, with the weights of the moment it is
 * made: what the official deploy paths do before timing a model (LeViT's and EfficientViT's
 * {@code Conv2d_BN.fuse}, {@code replace_batchnorm}). One operation instead of two, and a 1x1
 * convolution runs as a matrix product over the channels, which at small batches costs about half
 * of the engine's convolution (whose dispatch probes for kernels this CPU lacks on every call).
 *
 * <p>Made by a module's {@link Module#prepareInference()}; a module that holds one must drop it on its
 * next training pass, since training changes the weights it was made from.
 */
public final class FoldedConv implements AutoCloseable {
    private final Conv2d conv;
    private final NDManager manager;
    /** The folded weight: as the convolution's for a general one, {@code (out, in)} for a pointwise one. */
    private final NDArray weight;
    /** The folded bias: {@code (out)}, or {@code (out, 1)} to broadcast over a pointwise product's positions. */
    private final NDArray bias;

    private FoldedConv(Conv2d conv, NDManager manager, NDArray weight, NDArray bias) {
        this.conv = conv;
        this.manager = manager;
        this.weight = weight;
        this.bias = bias;
    }

    /**
     * @param conv a convolution
     * @param norm the batch norm applied to its output
     * @param factor a constant the result is multiplied by (1 for none): a scale that follows the norm
     *     folds in for free
     * @return {@code factor * norm(conv(x))} as one convolution
     */
    public static FoldedConv of(Conv2d conv, BatchNorm norm, double factor) {
        NDArray w = conv.weight();
        NDManager manager = w.getManager().newSubManager();
        try (NDManager scope = manager.newSubManager()) {
            NDList affine = norm.inferenceAffine(scope);
            NDArray shift = affine.get(1);
            NDArray b = conv.bias();
            if (b != null) {
                shift = shift.add(affine.get(0).mul(b));
            }
            shift = Scalars.times(shift, factor);
            NDArray scale = Scalars.times(affine.get(0), factor);
            long out = w.getShape().get(0);
            NDArray weight = w.mul(scale.reshape(out, 1, 1, 1));
            weight.attach(scope);
            if (conv.pointwise()) {
                weight = weight.reshape(out, w.getShape().get(1));
                shift = shift.reshape(out, 1);
            }
            NDList kept = new NDList(weight.stopGradient(), shift.stopGradient());
            kept.attach(manager);
            return new FoldedConv(conv, manager, kept.get(0), kept.get(1));
        }
    }

    /**
     * @param x the input {@code (N, C, H, W)}
     * @return the convolution's output with the norm (and factor) applied, in the input's manager
     */
    public NDArray apply(NDArray x) {
        if (bias.getShape().dimension() == 1) {
            return conv.convolve(x, weight, bias, 1);
        }
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long height = shape.get(2);
        long width = shape.get(3);
        NDArray y = weight.matMul(x.reshape(batch, shape.get(1), height * width));
        y.attach(x.getManager());
        return y.addi(bias).reshape(batch, weight.getShape().get(0), height, width);
    }

    @Override
    public void close() {
        manager.close();
    }
}

package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;

/**
 * A convolution and the batch norm after it, two children of the module that holds this pair, run as
 * built or, once {@linkplain #prepare prepared}, as one convolution with the weights of that moment:
 * what the official deploy paths do before timing a model (LeViT's and EfficientViT's
 * {@code Conv2d_BN.fuse}, {@code replace_batchnorm}): one operation instead of two.
 *
 * <p>A training pass drops the folded form, since training changes the weights it was made from. The
 * owner calls {@link #prepare} from its {@link Module#prepareInference()}.
 */
public final class ConvNorm {
    private final Conv2d conv;
    private final BatchNorm norm;
    private Folded folded;

    /**
     * @param conv a convolution, a child of the owner
     * @param norm the batch norm applied to its output, a child of the owner
     */
    public ConvNorm(Conv2d conv, BatchNorm norm) {
        this.conv = conv;
        this.norm = norm;
    }

    /**
     * @param store where parameter values come from
     * @param x the input
     * @param training whether to run in training mode
     * @return {@code norm(conv(x))}, times the prepared factor when prepared and not training
     */
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        if (folded != null) {
            if (!training) {
                return folded.apply(x);
            }
            drop();
        }
        return norm.apply(store, conv.apply(store, x, training), training);
    }

    /**
     * Folds the norm (and a constant factor) into the convolution, from the weights as they are now.
     *
     * @param factor a constant the output is multiplied by at inference (1 for none): a scale that
     *     follows the norm folds in for free; the caller applies it itself until prepared
     */
    public void prepare(double factor) {
        drop();
        folded = Folded.of(conv, norm, factor);
    }

    /** @return whether inference runs the folded form */
    public boolean prepared() {
        return folded != null;
    }

    private void drop() {
        if (folded != null) {
            folded.manager.close();
            folded = null;
        }
    }

    /** The folded weights, in a manager of their own under the parameters'. */
    private record Folded(Conv2d conv, NDManager manager, NDArray weight, NDArray bias) {
        /**
         * {@code factor * norm(conv(x))} as one convolution: {@code W s f} and {@code ((b - mean) s + beta) f},
         * computed in float64 and rounded once to the weights' type, so that folding adds one rounding
         * (networks such as EfficientViT amplify every rounding of their float32 logits).
         */
        static Folded of(Conv2d conv, BatchNorm norm, double factor) {
            NDArray w = conv.weight();
            DataType type = w.getDataType();
            NDManager manager = w.getManager().newSubManager();
            try (NDManager scope = manager.newSubManager()) {
                NDList affine = norm.inferenceAffine(scope);
                NDArray shift = affine.get(1);
                NDArray b = conv.bias();
                if (b != null) {
                    NDArray bias = b.toType(DataType.FLOAT64, true);
                    bias.attach(scope);
                    shift = shift.add(affine.get(0).mul(bias));
                }
                shift = Scalars.times(shift, factor);
                NDArray scale = Scalars.times(affine.get(0), factor);
                NDArray weight = w.toType(DataType.FLOAT64, true);
                weight.attach(scope);
                weight = weight.mul(scale.reshape(w.getShape().get(0), 1, 1, 1));
                NDList kept = new NDList(weight.toType(type, false).stopGradient(), shift.toType(type, false).stopGradient());
                kept.attach(manager);
                return new Folded(conv, manager, kept.get(0), kept.get(1));
            }
        }

        NDArray apply(NDArray x) {
            return conv.convolve(x, weight, bias, 1);
        }
    }
}

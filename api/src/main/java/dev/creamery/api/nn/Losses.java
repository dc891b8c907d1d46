package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** The losses of the shared training loop, for evaluators that compute a loss of their own (Cream's meta-matching update). */
public final class Losses {
    private Losses() {}

    /**
     * Mean cross-entropy with label smoothing: the target puts {@code 1 - smoothing +
     * smoothing / C} on the label and {@code smoothing / C} on every other class (timm's
     * {@code LabelSmoothingCrossEntropy}).
     *
     * @param logits {@code (N, C)}
     * @param labels {@code (N)} int64
     * @param smoothing the smoothing in [0, 1)
     * @return the scalar loss, in the logits' manager
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels, double smoothing) {
        NDArray logProbabilities = logits.logSoftmax(1);
        NDArray picked = logProbabilities.gather(labels.toType(DataType.INT64, false).reshape(-1, 1), 1).reshape(-1);
        NDArray nll = picked.neg();
        if (smoothing == 0) {
            return nll.mean();
        }
        NDArray uniform = logProbabilities.mean(new int[] {1}).neg();
        return Scalars.times(nll, 1 - smoothing).add(Scalars.times(uniform, smoothing)).mean();
    }

    /**
     * Mean cross-entropy against soft targets, {@code -sum(targets * logSoftmax(logits))} per
     * example (timm's {@code SoftTargetCrossEntropy}).
     *
     * @param logits {@code (N, C)}
     * @param targets {@code (N, C)} probabilities, no gradient
     * @return the scalar loss, in the logits' manager
     */
    public static NDArray softTargetCrossEntropy(NDArray logits, NDArray targets) {
        return logits.logSoftmax(1).mul(targets).sum(new int[] {1}).neg().mean();
    }
}

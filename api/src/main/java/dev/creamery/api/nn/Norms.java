package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Normalisation with PyTorch's eps in the input's type, for every layer that normalises
 * ({@link LayerNorm}, {@link BatchNorm}, and the plugins' own norms).
 *
 * <p>PyTorch's eps is a double, added to the variance in the input's type: in float32 it is
 * {@code 1e-5f}, in float64 exactly {@code 1e-5}. DJL's {@code layerNorm} and {@code batchNorm} take
 * eps as a float, and {@code (float) 1e-5} is 9.99999974737875e-6: identical in float32, but in
 * float64 it moves every normalised value by {@code 1.3e-13 / (var + eps)} relative (1.3e-13 for a
 * unit variance, 6e-9 for a variance near eps), which a float64 check of the logits to 1e-9 sees once
 * a network amplifies it. In float32 these give exactly what DJL's ops give with {@code (float) eps}.
 */
public final class Norms {
    private Norms() {}

    /**
     * {@code torch.nn.functional.layer_norm(x, normalized, weight, bias, eps)} over the trailing
     * dimensions {@code normalized}.
     *
     * <p>In float64 it normalises {@code s x} with the float eps, where {@code s^2 = (float) eps / eps}:
     * layer norm does not see a common scale of its input except through eps, and
     * {@code (s x - s mean) / sqrt(s^2 var + (float) eps) = (x - mean) / sqrt(var + eps)}. Rounding
     * {@code s x} perturbs each input by at most half an ulp, as the kernel's own rounding does; the
     * kernel stays PyTorch's own.
     *
     * @param x the input, float32 or float64
     * @param normalized the normalised trailing shape
     * @param weight the scale, or {@code null}
     * @param bias the shift, or {@code null}
     * @param eps PyTorch's eps, e.g. {@code 1e-5} or {@code 1e-6}
     * @return the normalised input, in {@code x}'s type and manager
     */
    public static NDArray layerNorm(NDArray x, Shape normalized, NDArray weight, NDArray bias, double eps) {
        float floatEps = (float) eps;
        if (x.getDataType() != DataType.FLOAT64 || floatEps == eps) {
            return x.getNDArrayInternal().layerNorm(x, normalized, weight, bias, floatEps).singletonOrThrow();
        }
        // Not closed: under autograd the graph keeps it; it belongs to x's manager and goes with it.
        NDArray scaled = Scalars.times(x, Math.sqrt(floatEps / eps));
        return scaled.getNDArrayInternal().layerNorm(scaled, normalized, weight, bias, floatEps).singletonOrThrow();
    }

    /**
     * For a norm written out of array ops: eps as PyTorch adds it to a variance of {@code like}'s type.
     *
     * @param like the variance (or any array of its type)
     * @param eps PyTorch's eps
     * @return {@code eps} for a float64 array, {@code (float) eps} otherwise
     */
    public static Number eps(NDArray like, double eps) {
        return like.getDataType() == DataType.FLOAT64 ? (Number) eps : (Number) (float) eps;
    }

    /**
     * The part of eps a float loses, to be added to a float64 variance: {@code eps - (float) eps}.
     *
     * @param eps PyTorch's eps
     * @return what DJL's float eps misses of it in float64
     */
    static double floatRemainder(double eps) {
        return eps - (float) eps;
    }
}

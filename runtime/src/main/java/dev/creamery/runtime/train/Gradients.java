package dev.creamery.runtime.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.Collection;

/** Gradient checks and norm clipping over a set of parameters, as {@code torch.nn.utils.clip_grad_norm_}. */
final class Gradients {
    private Gradients() {}

    /**
     * Scales the gradients so that their global L2 norm is at most {@code maxNorm}.
     *
     * @param parameters the parameters whose gradients are clipped together
     * @param maxNorm the largest allowed norm
     * @param step the step's manager, which owns the temporaries
     * @return the norm before clipping
     */
    static double clipNorm(Collection<Parameter> parameters, double maxNorm, NDManager step) {
        return Engines.withoutGradients(() -> {
            NDArray total = null;
            NDArray[] gradients = new NDArray[parameters.size()];
            int i = 0;
            for (Parameter parameter : parameters) {
                NDArray gradient = parameter.getArray().getGradient();
                gradient.attach(step);
                gradients[i++] = gradient;
                NDArray squares = gradient.square().sum();
                squares.attach(step);
                total = total == null ? squares : total.add(squares);
            }
            if (total == null) {
                return 0.0;
            }
            double norm = Math.sqrt(total.getFloat());
            double scale = maxNorm / (norm + 1e-6);
            if (scale < 1) {
                for (NDArray gradient : gradients) {
                    gradient.muli((float) scale);
                }
            }
            return norm;
        });
    }

    /**
     * @param parameters the parameters to check
     * @param step the step's manager, which owns the temporaries
     * @return whether every gradient entry is finite (one value is read back, not one per parameter)
     */
    static boolean finite(Collection<Parameter> parameters, NDManager step) {
        return Engines.withoutGradients(() -> {
            NDArray total = null;
            for (Parameter parameter : parameters) {
                NDArray gradient = parameter.getArray().getGradient();
                gradient.attach(step);
                NDArray sum = gradient.abs().sum();
                sum.attach(step);
                total = total == null ? sum : total.add(sum);
            }
            return total == null || Float.isFinite(total.getFloat());
        });
    }
}

package dev.creamery.asvit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The length distortion of {@code lib/procedures/teg.py} ({@code get_curve_complexity}): how much the
 * network stretches a circle through input space. For each point {@code x(theta_n)} of a
 * {@link Curve}, the speed of the pooled features along the curve, {@code ||d f(x(theta))/d theta||},
 * summed over the points. Higher is better (a more expressive network).
 *
 * <p>The official code gets each speed from one backward pass per feature coordinate; here the
 * derivative {@code J_f(x) x'(theta)} is carried forward with the activations (forward-mode
 * differentiation), which is the same quantity from a single pass. The official code measures with
 * every layer norm switched off; so does {@link TrainingFreeMeasures}, the caller sets that.
 */
public final class LengthDistortion {
    private LengthDistortion() {}

    /**
     * @param network an initialised network
     * @param curve the curve (its points have the network's input shape)
     * @param batchSize points per forward pass (the official code uses 6); does not change the result
     * @param manager where the curve's arrays go (the network's device)
     * @return the summed speed of the features along the curve
     */
    public static double compute(TrainingFreeNetwork network, Curve curve, int batchSize, NDManager manager) {
        List<Parameter> frozen = new ArrayList<>();
        // No gradient is needed: keep autograd from recording the passes.
        for (Parameter parameter : network.getParameters().values()) {
            if (parameter.getArray().hasGradient()) {
                parameter.getArray().setRequiresGradient(false);
                frozen.add(parameter);
            }
        }
        try {
            double total = 0;
            for (int from = 0; from < curve.size(); from += batchSize) {
                int to = Math.min(curve.size(), from + batchSize);
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = curve.points(scope, from, to);
                    NDArray v = curve.velocities(scope, from, to);
                    Tangent out = network.featuresWithTangent(new ParameterStore(scope, false), x, v);
                    NDArray speed = out.tangent().square().sum(new int[] {1}).sqrt();
                    total += speed.sum().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
                }
            }
            return total;
        } finally {
            frozen.forEach(p -> p.getArray().setRequiresGradient(true));
        }
    }
}

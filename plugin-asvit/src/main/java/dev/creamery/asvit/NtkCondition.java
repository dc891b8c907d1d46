package dev.creamery.asvit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.creamery.api.nn.Autograd;
import java.util.List;

/**
 * The condition number of the neural tangent kernel, as {@code lib/procedures/ntk.py} estimates it
 * ({@code get_ntk_n}): for each image of one batch, the gradient of the sum of its pooled features
 * ({@code forward_features(x)[1]}) with respect to every weight (not bias) the features depend on;
 * the kernel {@code K = G G^T} of those per-image gradients; and {@code lambda_max / lambda_min}.
 * Lower is better (a well-conditioned kernel trains faster).
 *
 * <p>Images run one at a time: the network mixes nothing across a batch (layer norm only), so each
 * image's gradient equals the official one taken from a batched forward, at a fraction of the cost.
 * The kernel and its eigenvalues are computed in float64 from the float32 gradients.
 */
public final class NtkCondition {
    private NtkCondition() {}

    /**
     * Computes the condition number for the network's current weights.
     *
     * @param network an initialised network (its norms are used as they are set)
     * @param images the batch {@code (N, C, H, W)}, N at least 2
     * @return {@code lambda_max / lambda_min}; NaN if the kernel is not finite or all zero; positive
     *     infinity if it is singular (smallest eigenvalue not above 0)
     */
    public static double compute(TrainingFreeNetwork network, NDArray images) {
        return conditionOf(kernel(network, images));
    }

    /**
     * @param network an initialised network
     * @param images the batch {@code (N, C, H, W)}
     * @return the kernel {@code K = G G^T}, N x N row-major
     */
    public static double[] kernel(TrainingFreeNetwork network, NDArray images) {
        int n = Math.toIntExact(images.getShape().get(0));
        List<Parameter> weights = network.kernelWeights();
        try (NDManager scope = images.getManager().newSubManager()) {
            ParameterStore store = new ParameterStore(scope, false);
            NDList rows = new NDList(n);
            for (int i = 0; i < n; i++) {
                NDArray image = images.get(new ai.djl.ndarray.index.NDIndex("{}:{}", i, i + 1));
                image.attach(scope);
                try (GradientCollector collector = Autograd.record()) {
                    collector.backward(network.features(store, image).sum());
                }
                NDList flat = new NDList(weights.size());
                for (Parameter weight : weights) {
                    NDArray gradient = weight.getArray().getGradient();
                    // The wrapper belongs to the parameter's manager: move it to the scope so it is freed with it.
                    gradient.attach(scope);
                    flat.add(gradient.flatten());
                }
                rows.add(NDArrays.concat(flat));
                for (Parameter weight : weights) {
                    NDArray gradient = weight.getArray().getGradient();
                    gradient.attach(scope);
                    gradient.subi(gradient);
                }
            }
            // Sums over millions of gradient entries: in float32 the official kernel carries errors of ~1e-3
            // relative (its value depends on the BLAS); float64 gives the kernel the estimator defines.
            NDArray g = NDArrays.stack(rows).toType(DataType.FLOAT64, false);
            return g.matMul(g.transpose()).toDoubleArray();
        }
    }

    /**
     * @param kernel a symmetric N x N kernel, row-major
     * @return {@code lambda_max / lambda_min} (see {@link #compute})
     */
    public static double conditionOf(double[] kernel) {
        int n = (int) Math.round(Math.sqrt(kernel.length));
        double[] eigenvalues = SymmetricEigen.eigenvalues(kernel, n);
        double min = eigenvalues[0];
        double max = eigenvalues[n - 1];
        if (Double.isNaN(min) || max == 0) {
            return Double.NaN;
        }
        if (min <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        return max / min;
    }
}

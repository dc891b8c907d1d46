package dev.creamery.runtime.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.creamery.api.HostArrays;
import java.util.Arrays;

/**
 * Builds TinyViT's soft label from a teacher's sparse output: the k most probable classes keep the
 * teacher's probabilities, and the probability the k leave over, {@code 1 - sum}, is shared equally
 * by the other {@code classes - k} classes.
 */
public final class SoftLabels {
    private SoftLabels() {}

    /**
     * @param values per example, the k probabilities ({@code examples * k}, row-major)
     * @param indices per example, their classes ({@code examples * k})
     * @param k kept classes per example, {@code 1 <= k <= classes}
     * @param classes all classes
     * @return the dense labels, {@code examples * classes} row-major; each row sums to 1
     */
    public static float[] dense(float[] values, int[] indices, int k, int classes) {
        if (k < 1 || k > classes || values.length != indices.length || values.length % k != 0) {
            throw new IllegalArgumentException("need 1 <= k <= classes and k values and indices per example, got k " + k + ", "
                    + classes + " classes, " + values.length + " values, " + indices.length + " indices");
        }
        int examples = values.length / k;
        float[] dense = new float[examples * classes];
        for (int n = 0; n < examples; n++) {
            double kept = 0;
            for (int j = 0; j < k; j++) {
                kept += values[n * k + j];
            }
            // As the official code, unclamped: if float16 rounding pushes the kept sum a hair over 1,
            // the rest is a hair below 0 and every row still sums to 1. With k = classes there is
            // no rest: every class keeps the teacher's probability.
            float rest = k == classes ? 0 : (float) ((1 - kept) / (classes - k));
            Arrays.fill(dense, n * classes, (n + 1) * classes, rest);
            for (int j = 0; j < k; j++) {
                dense[n * classes + indices[n * k + j]] = values[n * k + j];
            }
        }
        return dense;
    }

    /**
     * @param manager owns the result (the step's manager)
     * @param values as for {@link #dense}
     * @param indices as for {@link #dense}
     * @param k as for {@link #dense}
     * @param classes as for {@link #dense}
     * @return the dense labels as a float32 {@code (examples, classes)} array
     */
    public static NDArray dense(NDManager manager, float[] values, int[] indices, int k, int classes) {
        return HostArrays.create(manager, dense(values, indices, k, classes), new Shape(values.length / k, classes));
    }
}

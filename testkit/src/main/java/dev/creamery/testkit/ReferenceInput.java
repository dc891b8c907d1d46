package dev.creamery.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * One input batch of a reference fixture and the official model's logits for it. The batch is not
 * stored: it is rebuilt from its seed by the fixtures' formula, {@code x_i = 1.5 u(crc32(seed), i)}
 * (see {@link ReferenceFixture}). Each input carries the official model's own float32-vs-float64
 * error on it, because that error, and with it the tolerance, differs from input to input, and the
 * official float64 model's logits ({@code model.double()} on the batch cast to float64), which a
 * float64 re-implementation must reproduce almost exactly.
 *
 * @param key the fixture key, e.g. {@code efficientvit-m4}
 * @param seed the seed of the batch: {@code input} for the fixture's own, {@code input-1}, ... for
 *     the extra ones
 * @param shape the batch shape, NCHW
 * @param expectedLogits the official float32 logits, {@code [batch][classes]}
 * @param officialFloat32Error max |float32 logits - float64 logits| of the official model on this
 *     batch
 * @param expectedLogitsFloat64 the official float64 logits, {@code [batch][classes]}, or {@code null}
 *     if the fixture holds none for this batch
 */
public record ReferenceInput(String key, String seed, Shape shape, float[][] expectedLogits, double officialFloat32Error,
        double[][] expectedLogitsFloat64) {
    /**
     * @param manager owns the array
     * @return the batch, float32 NCHW
     */
    public NDArray input(NDManager manager) {
        double[] u = ReferenceFixture.uniform(ReferenceFixture.crc32(seed), Math.toIntExact(shape.size()));
        float[] x = new float[u.length];
        for (int i = 0; i < u.length; i++) {
            x[i] = (float) (1.5 * u[i]);
        }
        return manager.create(x, shape);
    }

    /**
     * @param logits our logits, {@code (batch, classes)}, of any float type
     * @return the largest absolute difference from the official logits
     */
    public double maxAbsDifference(NDArray logits) {
        float[] ours = logits.toType(DataType.FLOAT32, false).toFloatArray();
        int classes = expectedLogits[0].length;
        if (ours.length != expectedLogits.length * classes) {
            throw new IllegalArgumentException("logits have shape " + logits.getShape() + ", expected (" + expectedLogits.length
                    + ", " + classes + ")");
        }
        double max = 0;
        for (int r = 0; r < expectedLogits.length; r++) {
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, Math.abs(ours[r * classes + c] - expectedLogits[r][c]));
            }
        }
        return max;
    }

    /**
     * The agreed tolerance for a float32 re-implementation: {@code max(1e-4 * max(1, max|official|),
     * 3 * the official model's own float32-vs-float64 error on this input)}. It has to absorb two
     * float32 errors, ours and the official model's.
     *
     * @return the largest allowed absolute difference from the official logits
     */
    public double tolerance() {
        return tolerance(3);
    }

    /**
     * The agreed tolerance with another multiple of the official model's float32 error, for a model
     * whose float32 error is itself a draw from a wide spread across machines.
     *
     * @param factor the multiple of the official model's float32-vs-float64 error
     * @return the largest allowed absolute difference from the official logits
     */
    public double tolerance(double factor) {
        return Math.max(1e-4 * Math.max(1, largestLogit()), factor * officialFloat32Error);
    }

    /** @return whether the official float64 logits of this batch are known */
    public boolean hasFloat64Logits() {
        return expectedLogitsFloat64 != null;
    }

    /**
     * @param logits our float64 logits, {@code (batch, classes)}
     * @return the largest absolute difference from the official float64 logits
     * @throws IllegalStateException if the fixture holds no float64 logits for this batch
     */
    public double maxAbsDifferenceFloat64(NDArray logits) {
        if (logits.getDataType() != DataType.FLOAT64) {
            throw new IllegalArgumentException("float64 logits expected, got " + logits.getDataType());
        }
        double[][] official = float64Logits();
        double[] ours = logits.toDoubleArray();
        int classes = official[0].length;
        if (ours.length != official.length * classes) {
            throw new IllegalArgumentException("logits have shape " + logits.getShape() + ", expected (" + official.length
                    + ", " + classes + ")");
        }
        double max = 0;
        for (int r = 0; r < official.length; r++) {
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, Math.abs(ours[r * classes + c] - official[r][c]));
            }
        }
        return max;
    }

    /**
     * The bound for a float64 re-implementation: in float64 it computes the official float64 network,
     * so only float64 rounding separates the two, far below a float32 ulp. The bound is relative to the
     * largest logit, because a network that amplifies rounding amplifies it in proportion.
     *
     * @param relative the allowed difference as a fraction of the largest official logit, e.g. 1e-9
     * @return the largest allowed absolute difference of float64 logits from the official float64 ones
     */
    public double float64Tolerance(double relative) {
        return relative * largestFloat64Logit();
    }

    /** @return the largest official float64 logit in absolute value */
    public double largestFloat64Logit() {
        double largest = 0;
        for (double[] row : float64Logits()) {
            for (double v : row) {
                largest = Math.max(largest, Math.abs(v));
            }
        }
        return largest;
    }

    private double[][] float64Logits() {
        if (expectedLogitsFloat64 == null) {
            throw new IllegalStateException(this + ": the fixture holds no official float64 logits for this input");
        }
        return expectedLogitsFloat64;
    }

    /** @return the largest official logit in absolute value */
    public float largestLogit() {
        float largest = 0;
        for (float[] row : expectedLogits) {
            for (float v : row) {
                largest = Math.max(largest, Math.abs(v));
            }
        }
        return largest;
    }

    @Override
    public String toString() {
        return key + " " + seed;
    }
}

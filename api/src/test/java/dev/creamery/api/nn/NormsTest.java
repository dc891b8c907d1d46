package dev.creamery.api.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/**
 * The norms add PyTorch's eps in the input's type: exactly {@code 1e-5} in float64, {@code 1e-5f} in float32. The
 * inputs have a variance near eps, where the float eps ({@code 1e-5f = 9.99999974737875e-6}) moves the output by
 * about 1e-8 relative, far beyond float64 rounding; a variance of 1 would hide it to 1.3e-13.
 */
class NormsTest {
    private static final double EPS = 1e-5;
    /** A few float64 roundings of the kernels, with room. */
    private static final double FLOAT64_ROUNDING = 1e-13;

    @Test
    void layerNormInFloat64AddsTheDoubleEps() {
        int rows = 3;
        int features = 8;
        double[] x = new double[rows * features];
        double[] weight = new double[features];
        double[] bias = new double[features];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.01 * (i / features) + 2e-3 * Math.sin(7.3 * i);
        }
        for (int j = 0; j < features; j++) {
            weight[j] = 1 + 0.1 * Math.cos(j);
            bias[j] = 0.05 * Math.sin(j);
        }
        double[] exact = layerNorm(x, features, weight, bias, EPS);
        double[] floatEps = layerNorm(x, features, weight, bias, (float) EPS);
        assertThat(relative(floatEps, exact)).as("what the float eps costs on this input").isGreaterThan(1e-9);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray input = manager.create(x, new Shape(rows, features));
            NDArray ours = Norms.layerNorm(input, new Shape(features), manager.create(weight), manager.create(bias), EPS);
            assertThat(ours.getDataType()).isEqualTo(DataType.FLOAT64);
            assertThat(relative(ours.toDoubleArray(), exact)).isLessThan(FLOAT64_ROUNDING);
        }
    }

    @Test
    void layerNormInFloat32IsDjlsOpWithTheFloatEps() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(0, 1e-3f, new Shape(4, 16), DataType.FLOAT32);
            NDArray w = manager.randomNormal(new Shape(16));
            NDArray b = manager.randomNormal(new Shape(16));
            float[] direct = x.getNDArrayInternal().layerNorm(x, new Shape(16), w, b, 1e-5f).singletonOrThrow().toFloatArray();
            NDArray ours = Norms.layerNorm(x, new Shape(16), w, b, EPS);
            assertThat(ours.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(ours.toFloatArray()).containsExactly(direct);
        }
    }

    @Test
    void layerNormModuleInFloat64AddsTheDoubleEps() {
        int features = 6;
        double[] x = new double[2 * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.01 + 3e-3 * Math.cos(1.7 * i);
        }
        double[] ones = new double[features];
        java.util.Arrays.fill(ones, 1);
        double[] exact = layerNorm(x, features, ones, new double[features], EPS);
        try (NDManager manager = NDManager.newBaseManager()) {
            LayerNorm norm = new LayerNorm(features);
            norm.initialize(manager, DataType.FLOAT64, new Shape(2, features));
            NDArray out = norm.forward(new ParameterStore(manager, false), new NDList(manager.create(x, new Shape(2, features))), false)
                    .singletonOrThrow();
            assertThat(relative(out.toDoubleArray(), exact)).isLessThan(FLOAT64_ROUNDING);
        }
    }

    /** The eps bug that made EfficientViT's float64 logits 3.7e-8 off: a batch norm over a small running variance. */
    @Test
    void batchNormInFloat64AddsTheDoubleEps() {
        int channels = 4;
        double[] variance = {1e-5, 2e-5, 5e-6, 1};
        double[] mean = {0.1, -0.05, 0.02, 0};
        double[] x = new double[2 * channels * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.01 * Math.sin(2.1 * i);
        }
        double[] exact = new double[x.length];
        double[] floatEps = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = (i / 3) % channels;
            exact[i] = (x[i] - mean[c]) / Math.sqrt(variance[c] + EPS);
            floatEps[i] = (x[i] - mean[c]) / Math.sqrt(variance[c] + (float) EPS);
        }
        assertThat(relative(floatEps, exact)).as("what the float eps costs on this input").isGreaterThan(1e-9);
        try (NDManager manager = NDManager.newBaseManager()) {
            BatchNorm norm = new BatchNorm(channels, 1f);
            norm.initialize(manager, DataType.FLOAT64, new Shape(2, channels, 3));
            norm.getParameters().get("running_var").getArray().set(variance);
            norm.getParameters().get("running_mean").getArray().set(mean);
            NDArray out = norm.forward(new ParameterStore(manager, false), new NDList(manager.create(x, new Shape(2, channels, 3))), false)
                    .singletonOrThrow();
            assertThat(relative(out.toDoubleArray(), exact)).isLessThan(FLOAT64_ROUNDING);
        }
    }

    @Test
    void epsTakesTheTypeOfTheArray() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThat(Norms.eps(manager.zeros(new Shape(1), DataType.FLOAT64), EPS)).isEqualTo(1e-5);
            assertThat(Norms.eps(manager.zeros(new Shape(1), DataType.FLOAT32), EPS)).isEqualTo(1e-5f);
        }
    }

    private static double[] layerNorm(double[] x, int features, double[] weight, double[] bias, double eps) {
        double[] y = new double[x.length];
        for (int r = 0; r < x.length / features; r++) {
            double mean = 0;
            for (int j = 0; j < features; j++) {
                mean += x[r * features + j];
            }
            mean /= features;
            double variance = 0;
            for (int j = 0; j < features; j++) {
                double d = x[r * features + j] - mean;
                variance += d * d;
            }
            variance /= features;
            for (int j = 0; j < features; j++) {
                y[r * features + j] = (x[r * features + j] - mean) / Math.sqrt(variance + eps) * weight[j] + bias[j];
            }
        }
        return y;
    }

    /** @return max |a - b| over max |b| */
    private static double relative(double[] a, double[] b) {
        double difference = 0;
        double largest = 0;
        for (int i = 0; i < b.length; i++) {
            difference = Math.max(difference, Math.abs(a[i] - b[i]));
            largest = Math.max(largest, Math.abs(b[i]));
        }
        return difference / largest;
    }
}

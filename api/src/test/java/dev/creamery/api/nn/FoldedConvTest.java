package dev.creamery.api.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A folded convolution computes {@code factor * norm(conv(x))} in float64 to rounding, for every geometry it handles. */
class FoldedConvTest {
    @ParameterizedTest(name = "{0} -> {1}, kernel {2}, stride {3}, padding {4}, groups {5}, bias {6}, factor {7}")
    @CsvSource({
        "8, 16, 1, 1, 0, 1, false, 1",     // pointwise: runs as a matrix product
        "8, 16, 1, 1, 0, 1, true, 0.25",   // pointwise with the convolution's own bias and a folded scale
        "8, 8, 3, 1, 1, 8, false, 0.25",   // depthwise
        "6, 12, 3, 2, 1, 1, true, 1",      // strided
        "4, 8, 1, 2, 0, 1, false, 1",      // 1x1 but strided: a convolution
    })
    void equalsTheConvolutionThenTheNorm(int in, int out, int kernel, int stride, int padding, int groups, boolean bias, double factor) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Random random = new Random(in * 31L + kernel);
            Conv2d conv = new Conv2d(in, out, kernel, stride, padding, groups, bias);
            BatchNorm norm = new BatchNorm(out, 1f);
            Shape input = new Shape(3, in, 9, 9);
            conv.initialize(manager, DataType.FLOAT64, input);
            norm.initialize(manager, DataType.FLOAT64, conv.trace(input, new Macs()));
            fill(norm, "weight", random, 0.5, 1.5);
            fill(norm, "bias", random, -1, 1);
            fill(norm, "running_mean", random, -2, 2);
            fill(norm, "running_var", random, 0.1, 3);
            NDArray x = manager.randomNormal(input, DataType.FLOAT64);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray expected = norm.apply(store, conv.apply(store, x, false), false).mul(factor);
            try (FoldedConv folded = FoldedConv.of(conv, norm, factor)) {
                NDArray actual = folded.apply(x);
                assertThat(actual.getShape()).isEqualTo(expected.getShape());
                double largest = expected.abs().max().getDouble();
                assertThat(actual.sub(expected).abs().max().getDouble()).isLessThan(1e-12 * largest);
            }
        }
    }

    private static void fill(BatchNorm norm, String name, Random random, double low, double high) {
        NDArray array = norm.getParameters().get(name).getArray();
        double[] values = new double[Math.toIntExact(array.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = low + (high - low) * random.nextDouble();
        }
        array.set(values);
    }
}

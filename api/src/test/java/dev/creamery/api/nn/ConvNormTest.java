package dev.creamery.api.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Prepared, a convolution and its norm compute {@code factor * norm(conv(x))} in float64 to rounding, for every geometry; a training pass drops the folded form. */
class ConvNormTest {
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
            ParameterStore store = new ParameterStore(manager, false);
            ConvNorm pair = new ConvNorm(conv, norm);
            pair.prepare(factor);
            // One image takes the product path of a pointwise convolution, three the convolution.
            for (int batch : new int[] {1, 3}) {
                NDArray x = manager.randomNormal(new Shape(batch, in, 9, 9), DataType.FLOAT64);
                NDArray expected = norm.apply(store, conv.apply(store, x, false), false).mul(factor);
                NDArray actual = pair.apply(store, x, false);
                assertThat(actual.getShape()).isEqualTo(expected.getShape());
                double largest = expected.abs().max().getDouble();
                assertThat(actual.sub(expected).abs().max().getDouble()).as("batch %d", batch).isLessThan(1e-12 * largest);
            }

            pair.apply(store, manager.randomNormal(input, DataType.FLOAT64), true);
            assertThat(pair.prepared()).as("prepared after a training pass").isFalse();
        }
    }

    @Test
    void sequentialFoldsEachNormIntoTheConvolutionBeforeItAndFollowsTraining() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Random random = new Random(5);
            Module[] modules = {new Conv2d(4, 8, 3, 2, 1, 1, false), new BatchNorm(8, 1f), Act.relu(),
                new Conv2d(8, 8, 1, 1, 0, 1, false), new BatchNorm(8, 1f)};
            Sequential network = new Sequential(modules);
            Shape input = new Shape(2, 4, 10, 10);
            network.initialize(manager, DataType.FLOAT64, input);
            for (BatchNorm norm : List.of((BatchNorm) modules[1], (BatchNorm) modules[4])) {
                fill(norm, "weight", random, 0.5, 1.5);
                fill(norm, "running_mean", random, -2, 2);
                fill(norm, "running_var", random, 0.1, 3);
            }
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.randomNormal(input, DataType.FLOAT64);
            NDArray plain = network.apply(store, x, false);
            network.prepareInference();
            assertThat(network.apply(store, x, false).sub(plain).abs().max().getDouble())
                    .isLessThan(1e-12 * plain.abs().max().getDouble());

            // A training pass moves the running statistics: inference afterwards must see them.
            network.apply(store, manager.randomNormal(input, DataType.FLOAT64).mul(3).add(1), true);
            NDArray moved = network.apply(store, x, false);
            assertThat(moved.sub(plain).abs().max().getDouble()).isGreaterThan(1e-3);
            NDArray expected = x;
            for (Module module : modules) {
                expected = module.apply(store, expected, false);
            }
            assertThat(moved.sub(expected).abs().max().getDouble()).isLessThan(1e-12 * expected.abs().max().getDouble());
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

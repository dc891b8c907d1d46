package dev.creamery.api.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A 1x1 convolution of one image, run as a matrix product, gives the engine's convolution and its gradients. */
class Conv2dTest {
    @ParameterizedTest(name = "bias {0}")
    @ValueSource(booleans = {false, true})
    void pointwiseProductOfOneImageIsTheConvolution(boolean bias) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Conv2d conv = new Conv2d(6, 10, 1, 1, 0, 1, bias);
            conv.initialize(manager, DataType.FLOAT64, new Shape(1, 6, 5, 7));
            ParameterStore store = new ParameterStore(manager, false);
            NDArray image = manager.randomNormal(new Shape(1, 6, 5, 7), DataType.FLOAT64);
            // The same image twice runs the engine's convolution: each half is the single image's output.
            NDArray twice = NDArrays.concat(new NDList(image, image), 0);
            NDArray single;
            NDArray both;
            NDArray weight = conv.getParameters().get("weight").getArray();
            double[] singleGradient;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                single = conv.apply(store, image, true);
                collector.backward(single.square().sum());
                singleGradient = weight.getGradient().toDoubleArray();
            }
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                both = conv.apply(store, twice, true);
                collector.backward(both.square().sum());
            }
            assertThat(single.getShape()).isEqualTo(new Shape(1, 10, 5, 7));
            assertThat(single.sub(both.get("0:1")).abs().max().getDouble()).isLessThan(1e-12);
            // Gradients accumulate over the two passes: the single image's, then the pair's (twice it).
            double[] accumulated = weight.getGradient().toDoubleArray();
            for (int i = 0; i < accumulated.length; i++) {
                assertThat(accumulated[i]).isCloseTo(3 * singleGradient[i], within(1e-9));
            }
        }
    }
}

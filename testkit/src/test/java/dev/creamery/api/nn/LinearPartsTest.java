package dev.creamery.api.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.creamery.api.StateDict;
import org.junit.jupiter.api.Test;

/** A spread convolution reads every factor-th pixel; a layer's linear part is the layer without its bias. */
class LinearPartsTest {
    @Test
    void aSpreadConvolutionIsTheConvolutionOfEveryFactorthPixel() {
        Conv2d conv = new Conv2d(2, 3, 3, 2, 0, 1, 1, true);
        try (NDManager manager = NDManager.newBaseManager()) {
            conv.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 16, 16));
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.randomNormal(new Shape(2, 2, 16, 16));
            NDArray spread = conv.apply(store, x, false, 2);
            NDArray even = conv.apply(store, x.get(new NDIndex(":, :, ::2, ::2")), false);
            assertThat(spread.getShape()).isEqualTo(new Shape(2, 3, 3, 3));
            assertThat(spread.sub(even).abs().max().getFloat()).isLessThan(1e-5f);

            Macs macs = new Macs();
            assertThat(conv.trace(new Shape(2, 2, 16, 16), macs, 2)).isEqualTo(new Shape(2, 3, 3, 3));
            assertThat(macs.convolutions()).containsExactly(new ConvolutionShape(2, 3, 3, 4, 0, 2, 1, 16, 16));
            assertThat(macs.total()).isEqualTo(2L * 3 * 2 * 9 * 9);

            NDArray bias = StateDict.tensors(conv).get("bias").reshape(1, 3, 1, 1);
            NDArray part = conv.applyLinearPart(store, x, false, 1);
            assertThat(conv.apply(store, x, false).sub(part).sub(bias).abs().max().getFloat()).isLessThan(1e-5f);
        }
    }

    @Test
    void aLinearLayerWithoutBiasIsItsOwnLinearPart() {
        Linear plain = new Linear(4, 2, false);
        Linear affine = new Linear(4, 2);
        assertThat(StateDict.names(plain).keySet()).containsExactly("weight");
        assertThat(plain.params()).isEqualTo(8);
        try (NDManager manager = NDManager.newBaseManager()) {
            plain.initialize(manager, DataType.FLOAT32, new Shape(3, 4));
            affine.initialize(manager, DataType.FLOAT32, new Shape(3, 4));
            StateDict.tensors(affine).get("bias").set(new float[] {1, -2});
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.randomNormal(new Shape(3, 4));
            assertThat(plain.apply(store, x, false).contentEquals(plain.applyLinearPart(store, x, false))).isTrue();
            NDArray shift = affine.apply(store, x, false).sub(affine.applyLinearPart(store, x, false));
            assertThat(shift.sub(manager.create(new float[] {1, -2})).abs().max().getFloat()).isLessThan(1e-6f);
        }
    }
}

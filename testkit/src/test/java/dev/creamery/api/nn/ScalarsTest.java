package dev.creamery.api.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A constant saved for the backward pass survives a garbage collection between forward and backward,
 * and new direct buffers filled with junk that could take its place.
 */
class ScalarsTest {
    @Test
    void theBackwardPassSeesTheConstantAfterAGarbageCollection() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                for (int trial = 0; trial < 10; trial++) {
                    try (NDManager step = manager.newSubManager()) {
                        NDArray x = step.ones(new Shape(4), type);
                        x.setRequiresGradient(true);
                        NDArray y;
                        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            y = Scalars.times(x, 1 / 3.0);
                            churnDirectMemory();
                            collector.backward(y.sum());
                        }
                        assertThat(y.getDataType()).isEqualTo(type);
                        double[] gradient = x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
                        double expected = type == DataType.FLOAT32 ? (float) (1 / 3.0) : 1 / 3.0;
                        assertThat(gradient).containsOnly(expected);
                    }
                }
            }
        }
    }

    private static void churnDirectMemory() {
        System.gc();
        List<ByteBuffer> junk = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
            buffer.putDouble(0, 1e30);
            junk.add(buffer);
        }
    }
}

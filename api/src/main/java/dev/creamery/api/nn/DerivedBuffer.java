package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A tensor the official module keeps in its {@code state_dict} as a buffer and this module derives
 * instead (an offset index, a shifted-window mask, a batch-norm counter). Official checkpoints carry
 * it; {@link OfficialCheckpoint} drops it before loading and checks it first, so a checkpoint made
 * for another window or resolution is refused by name instead of loading weights into a model that
 * would compute something else.
 *
 * <p>A module declares its own through {@link Module#derivedBuffers()}, named relative to itself.
 */
public final class DerivedBuffer {
    private final String name;
    private final Shape shape;
    private final String meaning;
    private final Supplier<double[]> values;

    private DerivedBuffer(String name, Shape shape, String meaning, Supplier<double[]> values) {
        this.name = name;
        this.shape = shape;
        this.meaning = meaning;
        this.values = values;
    }

    /**
     * @param name the buffer's official name inside its module
     * @param shape its official shape
     * @param meaning what it is, for the error message ("the offset index of a 7x7 window")
     * @param values the values the module derives, row-major (indices, so exact as doubles)
     * @return the buffer
     */
    public static DerivedBuffer of(String name, Shape shape, String meaning, long[] values) {
        return new DerivedBuffer(name, shape, meaning, () -> Arrays.stream(values).asDoubleStream().toArray());
    }

    /**
     * @param name the buffer's official name inside its module
     * @param shape its official shape
     * @param meaning what it is, for the error message
     * @param values computes the values the module derives, row-major; called only when a checkpoint
     *     carries the buffer (a mask can be large)
     * @return the buffer
     */
    public static DerivedBuffer of(String name, Shape shape, String meaning, Supplier<float[]> values) {
        return new DerivedBuffer(name, shape, meaning, () -> {
            float[] floats = values.get();
            double[] doubles = new double[floats.length];
            for (int i = 0; i < floats.length; i++) {
                doubles[i] = floats[i];
            }
            return doubles;
        });
    }

    /**
     * A buffer the module has no use for, so there is no value to compare (batch norm's
     * {@code num_batches_tracked}, which PyTorch reads only when the momentum is unset): only its
     * shape is checked.
     *
     * @param name the buffer's official name inside its module
     * @param shape its official shape
     * @param meaning what it is, for the error message
     * @return the buffer
     */
    public static DerivedBuffer unused(String name, Shape shape, String meaning) {
        return new DerivedBuffer(name, shape, meaning, null);
    }

    /** @return the official name inside the declaring module */
    public String name() {
        return name;
    }

    /** @return the official shape */
    public Shape shape() {
        return shape;
    }

    /** @return what the buffer is */
    public String meaning() {
        return meaning;
    }

    /**
     * @param tensor a checkpoint's tensor of this buffer's name
     * @return whether it has the shape and (unless unused) exactly the values the module derives
     */
    public boolean matches(NDArray tensor) {
        if (!tensor.getShape().equals(shape)) {
            return false;
        }
        if (values == null) {
            return true;
        }
        NDArray exact = tensor.toType(DataType.FLOAT64, false);
        double[] found = exact.toDoubleArray();
        if (exact != tensor) {
            exact.close();
        }
        return Arrays.equals(found, values.get());
    }
}

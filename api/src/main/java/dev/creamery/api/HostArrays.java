package dev.creamery.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Arrays made from Java data whose memory the engine owns, so that it is freed when their manager
 * closes. Use these rather than {@code manager.create(float[])} and {@code array.set(float[])} for
 * anything made again and again (batches, weight draws).
 *
 * <p>On DJL's PyTorch engine, {@code manager.create(float[])} copies the values into a fresh Java
 * direct buffer and gives PyTorch a view of it ({@code from_blob}), and {@code array.set(float[])}
 * swaps the array's storage for such a buffer. Closing the array then frees the tensor but not the
 * buffer, which only the garbage collector releases, once it finds the array unreachable. Native
 * memory then follows the collector's schedule instead of the step's: between two collections the
 * buffers of every batch pile up, and as the collector's young generation grows, so does the
 * process's resident size. Here the values go through one direct buffer per thread, reused (it stays
 * as large as the largest array the thread made), and are copied into memory PyTorch allocates.
 */
public final class HostArrays {
    private static final ThreadLocal<HostArrays> LOCAL = ThreadLocal.withInitial(HostArrays::new);

    private ByteBuffer buffer = ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder());
    private float[] floats = new float[0];

    private HostArrays() {}

    /**
     * @param manager owns the result
     * @param values the values, row-major
     * @param shape the shape; its size is {@code values.length}
     * @return a float32 array the engine owns
     */
    public static NDArray create(NDManager manager, float[] values, Shape shape) {
        ByteBuffer buffer = local().buffer((long) values.length * Float.BYTES);
        buffer.asFloatBuffer().put(values);
        buffer.position(values.length * Float.BYTES);
        return copy(manager, buffer, shape, DataType.FLOAT32);
    }

    /**
     * @param manager owns the result
     * @param values the values, row-major
     * @param shape the shape; its size is {@code values.length}
     * @return an int64 array the engine owns
     */
    public static NDArray create(NDManager manager, long[] values, Shape shape) {
        ByteBuffer buffer = local().buffer((long) values.length * Long.BYTES);
        buffer.asLongBuffer().put(values);
        buffer.position(values.length * Long.BYTES);
        return copy(manager, buffer, shape, DataType.INT64);
    }

    /**
     * Overwrites an array in place, keeping its storage (and its gradient flag); for a parameter.
     *
     * @param target a float32 array
     * @param values its new values, row-major, {@code target.size()} of them
     */
    public static void write(NDArray target, float[] values) {
        try (NDManager scratch = target.getManager().newSubManager()) {
            StateDict.copy(create(scratch, values, target.getShape()), target);
        }
    }

    /** @return this thread's staging area */
    static HostArrays local() {
        return LOCAL.get();
    }

    /**
     * @param bytes the bytes needed
     * @return the thread's direct buffer, cleared, in native order, with room for {@code bytes}
     */
    ByteBuffer buffer(long bytes) {
        int size = Math.toIntExact(bytes);
        if (buffer.capacity() < size) {
            buffer = ByteBuffer.allocateDirect(Math.max(size, buffer.capacity() + buffer.capacity() / 2)).order(ByteOrder.nativeOrder());
        }
        buffer.clear().order(ByteOrder.nativeOrder());
        return buffer;
    }

    /**
     * @param length the floats needed
     * @return the thread's scratch array, at least {@code length} long
     */
    float[] floats(int length) {
        if (floats.length < length) {
            floats = new float[length];
        }
        return floats;
    }

    /**
     * @param manager owns the result
     * @param filled the thread's buffer, written from 0 up to its position
     * @param shape the result's shape
     * @param type the result's type
     * @return an engine-owned copy of what the buffer holds; the buffer may be reused at once
     */
    static NDArray copy(NDManager manager, ByteBuffer filled, Shape shape, DataType type) {
        filled.flip();
        // The view shares the buffer's memory; its copy does not.
        try (NDArray view = manager.create(filled, shape, type)) {
            return view.duplicate();
        }
    }
}

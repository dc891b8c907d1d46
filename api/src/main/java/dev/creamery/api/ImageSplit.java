package dev.creamery.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Random;

/**
 * One part of an {@link ImageDataSet}, held in memory. Images are read normalised, in CHW order;
 * augmentation (if the data set has any for this split) is drawn from a caller-supplied random
 * source, so that the same seed replays the same augmented image.
 */
public interface ImageSplit {
    /** @return the number of examples */
    int size();

    /** @return the image shape and classes */
    Task task();

    /**
     * @param index an example, {@code 0 <= index < size()}
     * @return its class label
     */
    int label(int index);

    /**
     * Writes one normalised image into {@code dst}.
     *
     * @param index an example
     * @param dst where to write {@code channels * height * width} floats
     * @param offset the position of the first float
     * @param augmentation the random source of this example's augmentation, or null for none
     */
    void read(int index, float[] dst, int offset, Random augmentation);

    /**
     * Builds a batch on the manager's device.
     *
     * @param manager owns the arrays (use the step's manager)
     * @param indices the examples, in batch order
     * @param augmentationSeeds one seed per example for its augmentation, or null for none
     * @return images {@code (N, C, H, W)} float32 and labels {@code (N)} int64
     */
    default Batch batch(NDManager manager, int[] indices, long[] augmentationSeeds) {
        Task task = task();
        int pixels = task.channels() * task.height() * task.width();
        // Engine-owned arrays, freed when the manager closes (HostArrays says why not manager.create(float[])).
        HostArrays staging = HostArrays.local();
        float[] image = staging.floats(pixels);
        ByteBuffer buffer = staging.buffer((long) indices.length * pixels * Float.BYTES);
        FloatBuffer images = buffer.asFloatBuffer();
        for (int i = 0; i < indices.length; i++) {
            Random augmentation = augmentationSeeds == null ? null : new Random(augmentationSeeds[i]);
            read(indices[i], image, 0, augmentation);
            images.put(image, 0, pixels);
        }
        buffer.position(images.position() * Float.BYTES);
        NDArray x = HostArrays.copy(manager, buffer, task.inputShape(indices.length), DataType.FLOAT32);
        buffer = staging.buffer((long) indices.length * Long.BYTES);
        for (int index : indices) {
            buffer.putLong(label(index));
        }
        NDArray y = HostArrays.copy(manager, buffer, new Shape(indices.length), DataType.INT64);
        return new Batch(x, y, indices);
    }
}

package dev.creamery.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.creamery.api.Batch;
import dev.creamery.api.HostArrays;
import dev.creamery.api.ImageSplit;
import dev.creamery.api.Task;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Batches and host data become arrays the engine owns, with the values they were made from. */
class HostArraysTest {
    private static final Task TASK = Task.square(3, 32, 10);

    /** Pixel values that differ per example, channel and position; the label is the index modulo the classes. */
    private static final ImageSplit SPLIT = new ImageSplit() {
        @Override
        public int size() {
            return 1000;
        }

        @Override
        public Task task() {
            return TASK;
        }

        @Override
        public int label(int index) {
            return index % TASK.classes();
        }

        @Override
        public void read(int index, float[] dst, int offset, Random augmentation) {
            int pixels = TASK.channels() * TASK.height() * TASK.width();
            float shift = augmentation == null ? 0 : augmentation.nextInt(100);
            for (int i = 0; i < pixels; i++) {
                dst[offset + i] = index * 0.001f + i * 1e-5f + shift;
            }
        }
    };

    private static long directBytes() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream().filter(pool -> pool.getName().equals("direct"))
                .mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }

    @Test
    void batchesHoldTheImagesAndLabelsTheSplitReads() {
        int[] indices = {7, 3, 999, 0};
        long[] seeds = {1, 2, 3, 4};
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = SPLIT.batch(manager, indices, seeds);
            assertThat(batch.images().getShape()).isEqualTo(TASK.inputShape(4));
            assertThat(batch.images().getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(batch.labels().getDataType()).isEqualTo(DataType.INT64);
            assertThat(batch.labels().toLongArray()).containsExactly(7, 3, 9, 0);
            int pixels = TASK.channels() * TASK.height() * TASK.width();
            float[] expected = new float[indices.length * pixels];
            for (int i = 0; i < indices.length; i++) {
                SPLIT.read(indices[i], expected, i * pixels, new Random(seeds[i]));
            }
            assertThat(batch.images().toFloatArray()).containsExactly(expected);
        }
    }

    @Test
    void openBatchesHoldNoJavaDirectBuffers() {
        int[] indices = new int[64];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i;
        }
        long batchBytes = (long) indices.length * TASK.channels() * TASK.height() * TASK.width() * Float.BYTES;
        try (NDManager manager = NDManager.newBaseManager()) {
            SPLIT.batch(manager, indices, null);
            long before = directBytes();
            // 30 batches of 768 KiB, all still open: through manager.create(float[]) each would keep a direct buffer of its size.
            for (int b = 0; b < 30; b++) {
                SPLIT.batch(manager, indices, null);
            }
            assertThat(directBytes() - before).isLessThan(batchBytes);
        }
    }

    @Test
    void createsAndWritesEngineOwnedArrays() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray floats = HostArrays.create(manager, new float[] {1, 2.5f, -3, 4, 5, 6}, new Shape(2, 3));
            assertThat(floats.getShape()).isEqualTo(new Shape(2, 3));
            assertThat(floats.toFloatArray()).containsExactly(1, 2.5f, -3, 4, 5, 6);
            NDArray longs = HostArrays.create(manager, new long[] {5, -1, 1L << 40}, new Shape(3));
            assertThat(longs.getDataType()).isEqualTo(DataType.INT64);
            assertThat(longs.toLongArray()).containsExactly(5, -1, 1L << 40);

            NDArray parameter = manager.zeros(new Shape(2, 2));
            parameter.setRequiresGradient(true);
            int arrays = manager.getManagedArrays().size();
            HostArrays.write(parameter, new float[] {0.5f, -0.25f, 8, 9});
            assertThat(parameter.toFloatArray()).containsExactly(0.5f, -0.25f, 8, 9);
            assertThat(parameter.hasGradient()).isTrue();
            // The values went in place, and the copy they came through is gone with its scratch manager.
            assertThat(manager.getManagedArrays()).hasSize(arrays);
        }
    }
}

package dev.creamery.runtime.data;

import dev.creamery.api.ImageSplit;
import dev.creamery.api.Task;
import java.util.List;
import java.util.Random;

/**
 * A split held in memory as bytes: a view of some images of a {@link PixelData}, normalised per
 * channel on read, with optional augmentation.
 */
public final class InMemorySplit implements ImageSplit {
    private final PixelData data;
    private final int[] indices;
    private final float[][] lookup;
    private final Augmentation augmentation;

    /**
     * @param data the images
     * @param indices which of them form this split, in order
     * @param mean per-channel mean of pixel values scaled to [0, 1]
     * @param std per-channel standard deviation of pixel values scaled to [0, 1]
     * @param augmentation applied when a caller passes a random source, or null for none
     */
    public InMemorySplit(PixelData data, int[] indices, List<Double> mean, List<Double> std, Augmentation augmentation) {
        int channels = data.task().channels();
        if (mean.size() != channels || std.size() != channels) {
            throw new IllegalArgumentException("mean and std need " + channels + " values (one per channel), got "
                    + mean.size() + " and " + std.size());
        }
        this.data = data;
        this.indices = indices.clone();
        this.augmentation = augmentation == null || augmentation.isIdentity() ? null : augmentation;
        this.lookup = new float[channels][256];
        for (int c = 0; c < channels; c++) {
            if (!(std.get(c) > 0)) {
                throw new IllegalArgumentException("std must be > 0, got " + std.get(c));
            }
            for (int v = 0; v < 256; v++) {
                lookup[c][v] = (float) ((v / 255.0 - mean.get(c)) / std.get(c));
            }
        }
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Task task() {
        return data.task();
    }

    @Override
    public int label(int index) {
        return data.labels()[indices[index]];
    }

    @Override
    public void read(int index, float[] dst, int offset, Random random) {
        Task task = data.task();
        int h = task.height();
        int w = task.width();
        int plane = h * w;
        int base = indices[index] * task.channels() * plane;
        byte[] pixels = data.pixels();
        if (augmentation == null || random == null) {
            for (int c = 0; c < task.channels(); c++) {
                float[] table = lookup[c];
                int from = base + c * plane;
                int to = offset + c * plane;
                for (int i = 0; i < plane; i++) {
                    dst[to + i] = table[pixels[from + i] & 0xFF];
                }
            }
            return;
        }
        int pad = augmentation.cropPadding();
        int dy = pad == 0 ? 0 : random.nextInt(2 * pad + 1) - pad;
        int dx = pad == 0 ? 0 : random.nextInt(2 * pad + 1) - pad;
        boolean flip = augmentation.horizontalFlip() && random.nextBoolean();
        for (int c = 0; c < task.channels(); c++) {
            float[] table = lookup[c];
            float zero = table[0];
            int from = base + c * plane;
            int to = offset + c * plane;
            for (int y = 0; y < h; y++) {
                int sy = y + dy;
                for (int x = 0; x < w; x++) {
                    int sx = (flip ? w - 1 - x : x) + dx;
                    dst[to + y * w + x] = sy < 0 || sy >= h || sx < 0 || sx >= w ? zero : table[pixels[from + sy * w + sx] & 0xFF];
                }
            }
        }
    }
}

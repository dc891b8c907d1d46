package dev.creamery.runtime.data;

import dev.creamery.api.Task;

/**
 * Raw 8-bit images in CHW order with their labels, as read from disk.
 *
 * @param task image shape and classes
 * @param pixels {@code count * channels * height * width} bytes, unsigned
 * @param labels one label per image
 */
public record PixelData(Task task, byte[] pixels, int[] labels) {
    /** Checks sizes agree and labels are in range. */
    public PixelData {
        int size = task.channels() * task.height() * task.width();
        if (pixels.length != (long) labels.length * size) {
            throw new IllegalArgumentException(labels.length + " labels but " + pixels.length / size + " images");
        }
        for (int label : labels) {
            if (label < 0 || label >= task.classes()) {
                throw new IllegalArgumentException("label " + label + " outside [0, " + task.classes() + ")");
            }
        }
    }

    /** @return the number of images */
    public int size() {
        return labels.length;
    }

    /**
     * Bilinear resampling with pixel centres aligned (PyTorch's {@code interpolate(mode="bilinear",
     * align_corners=False)} without antialiasing), rounded back to bytes.
     *
     * @param height the new height
     * @param width the new width
     * @return the same images at that size, with the same labels and classes
     */
    public PixelData resized(int height, int width) {
        int h = task.height();
        int w = task.width();
        if (h == height && w == width) {
            return this;
        }
        int channels = task.channels();
        int[] y0 = new int[height];
        int[] y1 = new int[height];
        float[] fy = new float[height];
        taps(h, height, y0, y1, fy);
        int[] x0 = new int[width];
        int[] x1 = new int[width];
        float[] fx = new float[width];
        taps(w, width, x0, x1, fx);
        int planes = labels.length * channels;
        byte[] out = new byte[planes * height * width];
        for (int p = 0; p < planes; p++) {
            int from = p * h * w;
            int to = p * height * width;
            for (int y = 0; y < height; y++) {
                int r0 = from + y0[y] * w;
                int r1 = from + y1[y] * w;
                for (int x = 0; x < width; x++) {
                    float top = (pixels[r0 + x0[x]] & 0xFF) * (1 - fx[x]) + (pixels[r0 + x1[x]] & 0xFF) * fx[x];
                    float bottom = (pixels[r1 + x0[x]] & 0xFF) * (1 - fx[x]) + (pixels[r1 + x1[x]] & 0xFF) * fx[x];
                    out[to + y * width + x] = (byte) Math.round(top * (1 - fy[y]) + bottom * fy[y]);
                }
            }
        }
        return new PixelData(new Task(channels, height, width, task.classes(), task.classNames()), out, labels);
    }

    /** Source rows (or columns) and weights of each output row, sampling at {@code (i + 0.5) * from / to - 0.5}. */
    private static void taps(int from, int to, int[] lower, int[] upper, float[] weight) {
        double scale = (double) from / to;
        for (int i = 0; i < to; i++) {
            double source = Math.max(0, (i + 0.5) * scale - 0.5);
            int low = Math.min((int) source, from - 1);
            lower[i] = low;
            upper[i] = Math.min(low + 1, from - 1);
            weight[i] = (float) (source - low);
        }
    }
}

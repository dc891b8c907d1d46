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
}

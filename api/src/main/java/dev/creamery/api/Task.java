package dev.creamery.api;

import java.util.List;

/**
 * What a model is built for: the input image shape and the classes it predicts. Every model takes a
 * float32 batch {@code (N, channels, height, width)} and returns logits {@code (N, classes)}.
 *
 * @param channels input channels
 * @param height input height in pixels
 * @param width input width in pixels
 * @param classes number of classes
 * @param classNames the class names, in label order (empty if unknown)
 */
public record Task(int channels, int height, int width, int classes, List<String> classNames) {
    /** Checks the shape is positive and the names, if given, match the class count. */
    public Task {
        if (channels <= 0 || height <= 0 || width <= 0 || classes <= 0) {
            throw new IllegalArgumentException("invalid task shape " + channels + "x" + height + "x" + width
                    + " with " + classes + " classes");
        }
        classNames = List.copyOf(classNames);
        if (!classNames.isEmpty() && classNames.size() != classes) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + classes + " classes");
        }
    }

    /**
     * @param channels input channels
     * @param size input height and width
     * @param classes number of classes
     * @return a square task without class names
     */
    public static Task square(int channels, int size, int classes) {
        return new Task(channels, size, size, classes, List.of());
    }

    /** @return the shape of one input image, {@code channels x height x width} */
    public ai.djl.ndarray.types.Shape imageShape() {
        return new ai.djl.ndarray.types.Shape(channels, height, width);
    }

    /**
     * @param batch batch size
     * @return the input shape of a batch
     */
    public ai.djl.ndarray.types.Shape inputShape(int batch) {
        return new ai.djl.ndarray.types.Shape(batch, channels, height, width);
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width + " -> " + classes + " classes";
    }
}

package dev.creamery.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.creamery.api.Task;

/**
 * Fits a task's square images to a side the official architecture accepts: a multiple of the family's
 * total stride at which the official stage resolutions (computed by integer division) agree with
 * what the convolutions produce, and at least the configured minimum. An image of another side is
 * upsampled bilinearly (half-pixel centres, as PyTorch's {@code align_corners=False}) inside the
 * network, so the network always takes the task's images as they are.
 */
final class InputSize {
    private final Task task;
    private final int working;

    private InputSize(Task task, int working) {
        this.task = task;
        this.working = working;
    }

    /**
     * @param task the task; its images must be square
     * @param multiple the sides the architecture accepts are multiples of this
     * @param minimum the smallest side to run at
     * @param family the family name, for the error message
     * @return the fit
     */
    static InputSize of(Task task, int multiple, int minimum, String family) {
        if (task.height() != task.width()) {
            throw new IllegalArgumentException(family + " takes square images; the task has " + task.height() + "x"
                    + task.width());
        }
        int side = Math.max(task.height(), minimum);
        return new InputSize(task, (side + multiple - 1) / multiple * multiple);
    }

    /** Rejects a minimum side below 1 (a settings check, named as in the config). */
    static void checkMinimum(int minInputSize) {
        if (minInputSize < 1) {
            throw new IllegalArgumentException("min-input-size must be at least 1, got " + minInputSize);
        }
    }

    /** @return the side the network runs at */
    int working() {
        return working;
    }

    /** @return whether images are resized before the network */
    boolean resizes() {
        return working != task.height();
    }

    /**
     * @param x a batch of the task's images
     * @return the batch at the working size
     */
    NDArray fit(NDArray x) {
        check(x.getShape());
        return resizes() ? x.getNDArrayInternal().interpolation(new long[] {working, working}, 1, false) : x;
    }

    /**
     * @param input a batch shape of the task's images
     * @return the shape at the working size (resizing costs no multiply-accumulates)
     */
    public Shape trace(Shape input) {
        check(input);
        return new Shape(input.get(0), task.channels(), working, working);
    }

    private void check(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != task.channels() || shape.get(2) != task.height()
                || shape.get(3) != task.width()) {
            throw new IllegalArgumentException("the model takes images of shape (N, " + task.channels() + ", "
                    + task.height() + ", " + task.width() + "), got " + shape);
        }
    }
}

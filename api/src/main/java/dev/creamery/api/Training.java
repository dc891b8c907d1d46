package dev.creamery.api;

import ai.djl.nn.Block;

/**
 * The runtime's shared training loop, bound to a job's data and device: AdamW or SGD, cosine
 * schedule with warm-up, label smoothing, gradient clipping, one native-memory scope per step,
 * per-epoch checkpoints and resume.
 */
public interface Training {
    /**
     * Trains an initialised model on the training split.
     *
     * @param model an initialised block on the context's device
     * @param settings the schedule and optimizer
     * @param options name, checkpoints, step hook
     * @return per-epoch statistics
     * @throws TrialFailedException if the loss becomes NaN or infinite
     */
    TrainingReport fit(Block model, TrainingSettings settings, FitOptions options);

    /**
     * Scores a model without recording gradients.
     *
     * @param model an initialised block
     * @param split which part of the data
     * @return top-1 accuracy and loss over the whole split
     */
    Accuracy evaluate(Block model, Split split);

    /**
     * Recomputes the running statistics of the model's batch norms for the model as it runs now (SPOS's
     * recalibration). A supernet's batch norms are shared by every member that uses them, so their
     * running statistics average many members' and fit none; before a member is scored with inherited
     * weights they become the plain average of its own batch statistics over the first {@code images}
     * images of a fixed shuffle of the training split, run in training mode, unaugmented, without
     * gradients. A model without {@link dev.creamery.api.nn.BatchNorm}s, or 0 images, leaves everything as it is.
     *
     * @param model an initialised block
     * @param images how many training images (at most the split's size)
     */
    void recalibrate(Block model, int images);
}

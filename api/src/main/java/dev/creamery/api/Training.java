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
}

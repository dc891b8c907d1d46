package dev.creamery.api;

/**
 * A block whose behaviour depends on the training schedule (As-ViT's progressive tokenization
 * starts coarse and refines the tokens in later epochs). The training loop tells it, before each
 * epoch, which epoch is about to run; evaluation and inference after training use the block's
 * final state, so a block must end in its full-resolution form after the last epoch.
 */
public interface EpochAware {
    /**
     * Called before every training epoch, also for the first epoch after a resume.
     *
     * @param epoch the epoch about to run, from 1
     * @param epochs the number of epochs of the schedule
     */
    void beginEpoch(int epoch, int epochs);

    /** Called after the last training epoch (or when training ends early): return to the form used for evaluation. */
    void endTraining();
}

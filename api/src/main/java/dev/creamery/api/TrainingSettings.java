package dev.creamery.api;

/**
 * How to train a network with the runtime's shared loop. Defaults live in the runtime's
 * {@code reference.conf} at {@code creamery.training}; components that train embed these settings
 * (e.g. {@code evaluator.one-shot.supernet}) and override what they need.
 *
 * @param epochs passes over the training split
 * @param batchSize examples per step
 * @param optimizer {@code adamw} or {@code sgd}
 * @param lr peak learning rate (after warm-up)
 * @param minLr learning rate at the end of the cosine schedule
 * @param warmupEpochs epochs of linear warm-up from {@code warmupLr} to {@code lr} (may be fractional;
 *     a warm-up longer than the run never reaches {@code lr})
 * @param warmupLr learning rate at the first step
 * @param weightDecay decoupled weight decay (AdamW) or L2 (SGD); not applied to biases, norms,
 *     position embeddings and class tokens
 * @param momentum SGD momentum (ignored by AdamW)
 * @param labelSmoothing label smoothing of the cross-entropy
 * @param clipGradNorm clip the global gradient norm to this value; 0 turns clipping off
 * @param maxStepsPerEpoch cut each epoch after this many steps; 0 runs full epochs
 */
public record TrainingSettings(int epochs, int batchSize, OptimizerKind optimizer, double lr, double minLr,
        double warmupEpochs, double warmupLr, double weightDecay, double momentum, double labelSmoothing,
        double clipGradNorm, int maxStepsPerEpoch) {

    /** The optimizers of the shared loop, with PyTorch's semantics. */
    public enum OptimizerKind {
        /** AdamW (decoupled weight decay), betas (0.9, 0.999), eps 1e-8. */
        ADAMW,
        /** SGD with momentum (PyTorch form: the velocity accumulates raw gradients). */
        SGD
    }

    /** Checks the domain of every setting. */
    public TrainingSettings {
        require(epochs >= 0, "epochs must be >= 0, got " + epochs);
        require(batchSize >= 1, "batch-size must be >= 1, got " + batchSize);
        require(lr > 0, "lr must be > 0, got " + lr);
        require(minLr >= 0 && minLr <= lr, "min-lr must be in [0, lr], got " + minLr);
        require(warmupEpochs >= 0, "warmup-epochs must be >= 0, got " + warmupEpochs);
        require(warmupLr >= 0, "warmup-lr must be >= 0, got " + warmupLr);
        require(weightDecay >= 0, "weight-decay must be >= 0, got " + weightDecay);
        require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        require(labelSmoothing >= 0 && labelSmoothing < 1, "label-smoothing must be in [0, 1), got " + labelSmoothing);
        require(clipGradNorm >= 0, "clip-grad-norm must be >= 0, got " + clipGradNorm);
        require(maxStepsPerEpoch >= 0, "max-steps-per-epoch must be >= 0, got " + maxStepsPerEpoch);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}

package dev.creamery.api;

import java.util.Locale;
import java.util.Objects;

/**
 * How to train a network with the runtime's shared loop. Defaults live in the runtime's
 * {@code reference.conf} at {@code creamery.training}; components that train embed these settings
 * (e.g. {@code evaluator.one-shot.supernet}) and override what they need.
 *
 * <p>A class built by a {@link Builder}, not a record, so that it can gain a setting without
 * breaking plugins compiled against it: read it through its accessors, make one with
 * {@link #builder()} or change one with {@link #toBuilder()}. The runtime binds it from config
 * through the same builder, one key per builder method.
 */
public final class TrainingSettings {
    /** The optimizers of the shared loop, with PyTorch's semantics. */
    public enum OptimizerKind {
        /** AdamW (decoupled weight decay), betas (0.9, 0.999), eps 1e-8. */
        ADAMW,
        /** SGD with momentum (PyTorch form: the velocity accumulates raw gradients). */
        SGD
    }

    private final int epochs;
    private final int batchSize;
    private final OptimizerKind optimizer;
    private final double lr;
    private final double minLr;
    private final double warmupEpochs;
    private final double warmupLr;
    private final double weightDecay;
    private final double momentum;
    private final double labelSmoothing;
    private final double clipGradNorm;
    private final int maxStepsPerEpoch;

    private TrainingSettings(Builder b) {
        epochs = b.required(b.epochs, "epochs");
        batchSize = b.required(b.batchSize, "batch-size");
        optimizer = b.required(b.optimizer, "optimizer");
        lr = b.required(b.lr, "lr");
        minLr = b.required(b.minLr, "min-lr");
        warmupEpochs = b.required(b.warmupEpochs, "warmup-epochs");
        warmupLr = b.required(b.warmupLr, "warmup-lr");
        weightDecay = b.required(b.weightDecay, "weight-decay");
        momentum = b.required(b.momentum, "momentum");
        labelSmoothing = b.required(b.labelSmoothing, "label-smoothing");
        clipGradNorm = b.required(b.clipGradNorm, "clip-grad-norm");
        maxStepsPerEpoch = b.required(b.maxStepsPerEpoch, "max-steps-per-epoch");
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

    /** @return a builder with nothing set (every setting must be given) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these settings, to change some of them */
    public Builder toBuilder() {
        return builder().epochs(epochs).batchSize(batchSize).optimizer(optimizer).lr(lr).minLr(minLr).warmupEpochs(warmupEpochs)
                .warmupLr(warmupLr).weightDecay(weightDecay).momentum(momentum).labelSmoothing(labelSmoothing)
                .clipGradNorm(clipGradNorm).maxStepsPerEpoch(maxStepsPerEpoch);
    }

    /** @return passes over the training split */
    public int epochs() {
        return epochs;
    }

    /** @return examples per step */
    public int batchSize() {
        return batchSize;
    }

    /** @return the optimizer */
    public OptimizerKind optimizer() {
        return optimizer;
    }

    /** @return peak learning rate (after warm-up) */
    public double lr() {
        return lr;
    }

    /** @return learning rate at the end of the cosine schedule */
    public double minLr() {
        return minLr;
    }

    /** @return epochs of linear warm-up from {@link #warmupLr} to {@link #lr} (may be fractional; a warm-up longer than the run never reaches lr) */
    public double warmupEpochs() {
        return warmupEpochs;
    }

    /** @return learning rate at the first step */
    public double warmupLr() {
        return warmupLr;
    }

    /** @return decoupled weight decay (AdamW) or L2 (SGD); not applied to biases, norms, position embeddings and class tokens */
    public double weightDecay() {
        return weightDecay;
    }

    /** @return SGD momentum (ignored by AdamW) */
    public double momentum() {
        return momentum;
    }

    /** @return label smoothing of the cross-entropy */
    public double labelSmoothing() {
        return labelSmoothing;
    }

    /** @return the global gradient norm is clipped to this; 0 turns clipping off */
    public double clipGradNorm() {
        return clipGradNorm;
    }

    /** @return each epoch is cut after this many steps; 0 runs full epochs */
    public int maxStepsPerEpoch() {
        return maxStepsPerEpoch;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrainingSettings t && t.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toString());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "TrainingSettings[epochs=%d, batch-size=%d, optimizer=%s, lr=%s, min-lr=%s, warmup-epochs=%s, "
                + "warmup-lr=%s, weight-decay=%s, momentum=%s, label-smoothing=%s, clip-grad-norm=%s, max-steps-per-epoch=%d]",
                epochs, batchSize, optimizer, lr, minLr, warmupEpochs, warmupLr, weightDecay, momentum, labelSmoothing, clipGradNorm,
                maxStepsPerEpoch);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Sets the settings one by one; {@link #build} checks that each is given and in its domain. */
    public static final class Builder {
        private Integer epochs;
        private Integer batchSize;
        private OptimizerKind optimizer;
        private Double lr;
        private Double minLr;
        private Double warmupEpochs;
        private Double warmupLr;
        private Double weightDecay;
        private Double momentum;
        private Double labelSmoothing;
        private Double clipGradNorm;
        private Integer maxStepsPerEpoch;

        private Builder() {}

        /** @param value passes over the training split @return this */
        public Builder epochs(int value) {
            epochs = value;
            return this;
        }

        /** @param value examples per step @return this */
        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        /** @param value the optimizer @return this */
        public Builder optimizer(OptimizerKind value) {
            optimizer = value;
            return this;
        }

        /** @param value peak learning rate @return this */
        public Builder lr(double value) {
            lr = value;
            return this;
        }

        /** @param value final learning rate of the cosine schedule @return this */
        public Builder minLr(double value) {
            minLr = value;
            return this;
        }

        /** @param value epochs of warm-up @return this */
        public Builder warmupEpochs(double value) {
            warmupEpochs = value;
            return this;
        }

        /** @param value learning rate at the first step @return this */
        public Builder warmupLr(double value) {
            warmupLr = value;
            return this;
        }

        /** @param value weight decay @return this */
        public Builder weightDecay(double value) {
            weightDecay = value;
            return this;
        }

        /** @param value SGD momentum @return this */
        public Builder momentum(double value) {
            momentum = value;
            return this;
        }

        /** @param value label smoothing @return this */
        public Builder labelSmoothing(double value) {
            labelSmoothing = value;
            return this;
        }

        /** @param value gradient-norm clip, 0 for none @return this */
        public Builder clipGradNorm(double value) {
            clipGradNorm = value;
            return this;
        }

        /** @param value steps per epoch at most, 0 for full epochs @return this */
        public Builder maxStepsPerEpoch(int value) {
            maxStepsPerEpoch = value;
            return this;
        }

        /**
         * @return the settings
         * @throws IllegalArgumentException naming the first setting that is missing or out of its domain
         */
        public TrainingSettings build() {
            return new TrainingSettings(this);
        }

        private <T> T required(T value, String key) {
            if (value == null) {
                throw new IllegalArgumentException(key + " is not set");
            }
            return value;
        }
    }
}

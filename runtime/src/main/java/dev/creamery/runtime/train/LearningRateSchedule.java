package dev.creamery.runtime.train;

import dev.creamery.api.TrainingSettings;

/**
 * Linear warm-up from {@code warmup-lr} to {@code lr} over {@code warmup-epochs}, then cosine decay
 * to {@code min-lr} at the end of the last epoch; evaluated per step (the epoch may be fractional),
 * so short runs anneal smoothly.
 */
final class LearningRateSchedule {
    private final TrainingSettings settings;
    private final long stepsPerEpoch;

    LearningRateSchedule(TrainingSettings settings, long stepsPerEpoch) {
        this.settings = settings;
        this.stepsPerEpoch = stepsPerEpoch;
    }

    /**
     * @param step the global step, from 0
     * @return the learning rate of that step
     */
    double at(long step) {
        double epoch = (double) step / stepsPerEpoch;
        double warmup = settings.warmupEpochs();
        if (epoch < warmup) {
            return settings.warmupLr() + (settings.lr() - settings.warmupLr()) * epoch / warmup;
        }
        double span = settings.epochs() - warmup;
        double progress = span <= 0 ? 1 : Math.min(1, (epoch - warmup) / span);
        return settings.minLr() + 0.5 * (settings.lr() - settings.minLr()) * (1 + Math.cos(Math.PI * progress));
    }
}

package dev.creamery.api;

import java.util.List;

/**
 * What {@link Training#fit} did.
 *
 * @param epochs per-epoch statistics, including epochs restored from a checkpoint
 * @param seconds wall time of this call (restored epochs cost nothing)
 * @param imagesPerSecond training throughput of this call
 */
public record TrainingReport(List<Epoch> epochs, double seconds, double imagesPerSecond) {
    /** Copies the list. */
    public TrainingReport {
        epochs = List.copyOf(epochs);
    }

    /**
     * One epoch.
     *
     * @param epoch its number, from 1
     * @param loss mean training loss
     * @param accuracy training accuracy (on augmented batches)
     * @param validationAccuracy validation accuracy, or NaN if not measured
     * @param lr learning rate at the end of the epoch
     * @param seconds wall time
     */
    public record Epoch(int epoch, double loss, double accuracy, double validationAccuracy, double lr, double seconds) {}
}

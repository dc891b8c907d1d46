package dev.creamery.cream;

/**
 * The settings of the {@code cream} family; defaults, with comments, are in the plugin's
 * {@code reference.conf} at {@code creamery.family.cream}.
 *
 * @param dropRate dropout before the classifier in training (the official {@code NET.DROPOUT_RATE})
 */
public record CreamSettings(double dropRate) {
    /** Checks the rate is a probability below 1. */
    public CreamSettings {
        if (!(dropRate >= 0 && dropRate < 1)) {
            throw new IllegalArgumentException("drop-rate must be in [0, 1), got " + dropRate);
        }
    }
}

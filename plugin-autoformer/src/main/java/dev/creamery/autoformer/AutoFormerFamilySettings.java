package dev.creamery.autoformer;

/**
 * The settings of the {@code autoformer} family; defaults, with comments, are in the plugin's
 * {@code reference.conf} at {@code creamery.family.autoformer}.
 *
 * @param dropPathRate stochastic depth of the last layer in training, linear from 0 at the first
 */
public record AutoFormerFamilySettings(double dropPathRate) {
    /** Checks the rate is a probability below 1. */
    public AutoFormerFamilySettings {
        if (!(dropPathRate >= 0 && dropPathRate < 1)) {
            throw new IllegalArgumentException("drop-path-rate must be in [0, 1), got " + dropPathRate);
        }
    }
}

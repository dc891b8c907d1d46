package dev.creamery.autoformer;

/**
 * The settings of the {@code s3} family; defaults, with comments, are in the plugin's
 * {@code reference.conf} at {@code creamery.family.s3}.
 *
 * @param dropPathRate stochastic depth of the last block in training, linear from 0 at the first
 */
public record S3FamilySettings(double dropPathRate) {
    /** Checks the rate is a probability below 1. */
    public S3FamilySettings {
        if (!(dropPathRate >= 0 && dropPathRate < 1)) {
            throw new IllegalArgumentException("drop-path-rate must be in [0, 1), got " + dropPathRate);
        }
    }
}

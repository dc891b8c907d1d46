package dev.creamery.models;

/**
 * The settings of the {@code tinyvit} family; defaults, with comments, are in the plugin's
 * {@code reference.conf} at {@code creamery.family.tinyvit}.
 *
 * @param zeroInitResidual whether the last batch norm of each MBConv block starts at scale 0, as in the
 *     official code
 * @param minInputSize the smallest image side the network runs at: smaller images, and sides the
 *     official architecture cannot take, are upsampled bilinearly to the next side it can take
 * @param dropPathRate stochastic depth of the last block in training, growing linearly from 0 at the
 *     first block (the official {@code MODEL.DROP_PATH_RATE})
 */
public record TinyVitSettings(boolean zeroInitResidual, int minInputSize, double dropPathRate) {
    /** Checks the minimum size is positive and the rate a probability below 1. */
    public TinyVitSettings {
        InputSize.checkMinimum(minInputSize);
        if (!(dropPathRate >= 0 && dropPathRate < 1)) {
            throw new IllegalArgumentException("drop-path-rate must be in [0, 1), got " + dropPathRate);
        }
    }
}

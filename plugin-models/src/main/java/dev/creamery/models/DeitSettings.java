package dev.creamery.models;

/**
 * The settings of the {@code deit} and {@code minivit} families; defaults, with comments, are in the
 * plugin's {@code reference.conf} at {@code creamery.family.deit} and {@code creamery.family.minivit}.
 *
 * @param dropPathRate stochastic depth of the last block in training, growing linearly from 0 at the
 *     first block (DeiT's {@code --drop-path})
 */
public record DeitSettings(double dropPathRate) {
    /** Checks the rate is a probability below 1. */
    public DeitSettings {
        if (!(dropPathRate >= 0 && dropPathRate < 1)) {
            throw new IllegalArgumentException("drop-path-rate must be in [0, 1), got " + dropPathRate);
        }
    }
}

package dev.creamery.cdarts;

/**
 * The settings of the {@code cdarts} family; defaults, with comments, are in the plugin's
 * {@code reference.conf} at {@code creamery.family.cdarts}.
 *
 * @param dropPathRate the drop-path rate of every cell operation at the last epoch, growing linearly
 *     from 0 at the first (the official retraining's {@code drop_path_prob})
 */
public record CdartsSettings(double dropPathRate) {
    /** Checks the rate is a probability below 1. */
    public CdartsSettings {
        if (!(dropPathRate >= 0 && dropPathRate < 1)) {
            throw new IllegalArgumentException("drop-path-rate must be in [0, 1), got " + dropPathRate);
        }
    }
}

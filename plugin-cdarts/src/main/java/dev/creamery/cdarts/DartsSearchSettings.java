package dev.creamery.cdarts;

/**
 * The settings of the {@code darts} strategy; defaults, with comments, are in the plugin's
 * {@code reference.conf} at {@code creamery.strategy.darts}.
 *
 * @param epochs search epochs (alternating weight and architecture steps)
 * @param batchSize images per step, from each half of the training split
 * @param maxStepsPerEpoch each epoch is cut after this many steps; 0 runs full epochs
 * @param weights the search network's weights
 * @param alpha the architecture parameters
 */
public record DartsSearchSettings(int epochs, int batchSize, int maxStepsPerEpoch, SearchSettings.Weights weights,
        SearchSettings.Alpha alpha) {
    /** Checks the domains. */
    public DartsSearchSettings {
        SearchSettings.atLeast("epochs", epochs, 1);
        SearchSettings.atLeast("batch-size", batchSize, 2);
        SearchSettings.atLeast("max-steps-per-epoch", maxStepsPerEpoch, 0);
    }
}

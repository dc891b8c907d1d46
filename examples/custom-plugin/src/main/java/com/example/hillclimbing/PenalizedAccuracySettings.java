package com.example.hillclimbing;

import com.typesafe.config.Config;

/**
 * The settings of {@link PenalizedAccuracy}.
 *
 * @param evaluator the block of the registered evaluator that measures accuracy, {@code { type = one-shot, ... }}
 * @param penaltyPerMillion accuracy taken off per million parameters
 */
public record PenalizedAccuracySettings(Config evaluator, double penaltyPerMillion) {
    /** Checks the penalty is not negative. */
    public PenalizedAccuracySettings {
        if (!(penaltyPerMillion >= 0)) {
            throw new IllegalArgumentException("penalty-per-million must be >= 0, got " + penaltyPerMillion);
        }
    }
}

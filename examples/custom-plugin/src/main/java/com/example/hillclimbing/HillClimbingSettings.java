package com.example.hillclimbing;

/**
 * The settings of {@link HillClimbing}; the defaults live in this jar's {@code reference.conf}.
 *
 * @param steps climbing steps
 * @param neighbours mutations evaluated per step
 * @param mutationProbability chance that each choice is redrawn in a mutation
 */
public record HillClimbingSettings(int steps, int neighbours, double mutationProbability) {
    /** Checks the domain of each setting; the message names the setting. */
    public HillClimbingSettings {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (neighbours < 1) {
            throw new IllegalArgumentException("neighbours must be >= 1, got " + neighbours);
        }
        if (!(mutationProbability > 0 && mutationProbability <= 1)) {
            throw new IllegalArgumentException("mutation-probability must be in (0, 1], got " + mutationProbability);
        }
    }
}

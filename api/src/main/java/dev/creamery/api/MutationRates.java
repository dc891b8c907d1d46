package dev.creamery.api;

/**
 * How likely {@link SearchSpace#mutate} changes each part of an architecture.
 *
 * @param choice probability that each choice, and each layer's entry of a per-layer dimension,
 *     is redrawn (AutoFormer's {@code m_prob}, default 0.2)
 * @param structure probability that each structural dimension (depth, embedding width) is redrawn
 *     (AutoFormer's {@code s_prob}, default 0.4)
 */
public record MutationRates(double choice, double structure) {
    /** Checks both probabilities are in [0, 1]. */
    public MutationRates {
        if (!(choice >= 0 && choice <= 1) || !(structure >= 0 && structure <= 1)) {
            throw new IllegalArgumentException("mutation probabilities must be in [0, 1], got choice=" + choice
                    + " structure=" + structure);
        }
    }
}

package dev.creamery.api;

import java.util.Optional;

/**
 * Limits on a network's size. Strategies use them to propose only admissible candidates, and the
 * {@code constraints} evaluator to reject the rest before any work is spent on them.
 *
 * @param params allowed parameter counts
 * @param flops allowed multiply-accumulate counts
 */
public record Constraints(Bounds params, Bounds flops) {
    /** No limits. */
    public static final Constraints NONE = new Constraints(Bounds.ANY, Bounds.ANY);

    /**
     * @param complexity a network's size
     * @return why it is outside the limits, or empty if it is inside
     */
    public Optional<String> violation(Complexity complexity) {
        if (!params.contains(complexity.params())) {
            return Optional.of(Complexity.human(complexity.params()) + " params outside " + params);
        }
        if (!flops.contains(complexity.flops())) {
            return Optional.of(Complexity.human(complexity.flops()) + " FLOPs outside " + flops);
        }
        return Optional.empty();
    }

    /**
     * @param complexity a network's size
     * @return whether it is inside the limits
     */
    public boolean admits(Complexity complexity) {
        return violation(complexity).isEmpty();
    }
}

package dev.creamery.autoformer;

import dev.creamery.api.Constraints;
import dev.creamery.api.SearchStrategy;
import java.util.Objects;

/**
 * The settings of the {@code space-evolution} strategy; defaults, with comments, are in the plugin's
 * {@code reference.conf} at {@code creamery.strategy.space-evolution}.
 *
 * @param steps evolution steps of the space before the final search
 * @param window how many neighbouring candidates of each dimension the first space holds
 * @param minWindow the fewest candidates a step leaves a dimension by dropping its worst choice (a
 *     window narrower than this only shifts)
 * @param samples members sampled to estimate the E-T error of each choice
 * @param top how many of a choice's best samples make its top-tier error
 * @param minSlope the least change of E-T error per candidate step that moves a dimension's window
 * @param constraints size limits of every sampled member
 * @param inner the search inside the final space
 */
public record SpaceEvolutionSettings(int steps, int window, int minWindow, int samples, int top, double minSlope,
        Constraints constraints, SearchStrategy inner) {
    /** Checks the counts and that there is an inner strategy. */
    public SpaceEvolutionSettings {
        if (steps < 0 || window < 1 || minWindow < 1 || samples < 1 || top < 1 || top > samples || !(minSlope >= 0)) {
            throw new IllegalArgumentException(
                    "steps must be >= 0, window, min-window and samples >= 1, top in [1, samples] and min-slope >= 0");
        }
        Objects.requireNonNull(inner, "space-evolution needs an inner strategy: inner { type = evolution }");
    }
}

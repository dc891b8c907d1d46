package dev.creamery.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of a search.
 *
 * @param trials every trial, in evaluation order
 * @param best the evaluated trial that is best by the primary objective (empty if none succeeded)
 * @param paretoFront the evaluated trials no other trial beats on every Pareto objective, ordered by
 *     the first of them
 */
public record SearchResult(List<Trial> trials, Optional<Trial> best, List<Trial> paretoFront) {
    /** Copies the lists. */
    public SearchResult {
        trials = List.copyOf(trials);
        paretoFront = List.copyOf(paretoFront);
    }

    /**
     * Summarises trials: the best by {@code primary} (ties go to the earlier trial) and the Pareto
     * front over {@code pareto}.
     *
     * @param trials the trials, in evaluation order
     * @param primary what "best" means
     * @param pareto the objectives of the Pareto front (e.g. accuracy up, params down)
     * @return the result
     */
    public static SearchResult of(List<Trial> trials, Objective primary, List<Objective> pareto) {
        List<Trial> usable = trials.stream().filter(t -> t.ok() && !Double.isNaN(t.metricOrNaN(primary.metric()))).toList();
        Trial best = null;
        for (Trial trial : usable) {
            if (best == null || primary.better(trial.metricOrNaN(primary.metric()), best.metricOrNaN(primary.metric()))) {
                best = trial;
            }
        }
        List<Trial> front = new ArrayList<>();
        if (!pareto.isEmpty()) {
            for (Trial candidate : usable) {
                boolean dominated = usable.stream().anyMatch(other -> other != candidate && Pareto.dominates(other, candidate, pareto));
                boolean duplicate = front.stream().anyMatch(t -> t.architecture().equals(candidate.architecture()));
                if (!dominated && !duplicate) {
                    front.add(candidate);
                }
            }
            Objective first = pareto.get(0);
            Comparator<Trial> order = Comparator.comparingDouble(t -> t.metricOrNaN(first.metric()));
            front.sort(first.maximize() ? order.reversed() : order);
        }
        return new SearchResult(trials, Optional.ofNullable(best), front);
    }
}

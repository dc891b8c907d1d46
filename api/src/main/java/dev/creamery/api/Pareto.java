package dev.creamery.api;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Dominance between trials over several objectives: the Pareto front and NSGA-II's fronts. */
public final class Pareto {
    private Pareto() {}

    /**
     * @param a a trial
     * @param b another
     * @param objectives the objectives
     * @return whether {@code a} is at least as good as {@code b} on every objective and better on one
     *     (a trial missing a metric dominates nothing and is dominated by nothing)
     */
    public static boolean dominates(Trial a, Trial b, List<Objective> objectives) {
        boolean strictly = false;
        for (Objective objective : objectives) {
            double x = a.metricOrNaN(objective.metric());
            double y = b.metricOrNaN(objective.metric());
            if (Double.isNaN(x) || Double.isNaN(y) || objective.better(y, x)) {
                return false;
            }
            strictly |= objective.better(x, y);
        }
        return strictly;
    }

    /**
     * Non-dominated sorting: rank 0 is the trials no other beats on every objective, rank 1 those
     * only rank 0 beats, and so on.
     *
     * @param trials evaluated trials
     * @param objectives the objectives
     * @return each trial's rank, from 0
     */
    public static Map<Trial, Integer> ranks(List<Trial> trials, List<Objective> objectives) {
        Map<Trial, Integer> rank = new IdentityHashMap<>();
        List<Trial> left = new ArrayList<>(trials);
        for (int front = 0; !left.isEmpty(); front++) {
            List<Trial> current = left.stream().filter(t -> left.stream().noneMatch(o -> o != t && dominates(o, t, objectives))).toList();
            for (Trial trial : current) {
                rank.put(trial, front);
            }
            left.removeAll(current);
        }
        return rank;
    }
}

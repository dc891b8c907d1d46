package dev.creamery.api;

import java.util.Objects;

/**
 * A metric to optimise, and in which direction. A job lists its objectives
 * ({@code job.objectives = [{metric = accuracy, goal = max}, {metric = latency-ms, goal = min}]}):
 * the first decides the best trial, all of them the Pareto front.
 *
 * @param metric a metric name (see {@link Metrics})
 * @param goal whether larger or smaller values are better
 */
public record Objective(String metric, Goal goal) {
    /** Which way a metric is better. */
    public enum Goal {
        /** Larger is better. */
        MAX,
        /** Smaller is better. */
        MIN
    }

    /** Validation accuracy, larger is better: what searches rank by unless told otherwise. */
    public static final Objective ACCURACY = maximize(Metrics.ACCURACY);

    /** Checks both parts are given. */
    public Objective {
        Objects.requireNonNull(metric, "an objective needs a metric: {metric = accuracy, goal = max}");
        Objects.requireNonNull(goal, "an objective needs a goal, max or min: {metric = " + metric + ", goal = max}");
    }

    /**
     * @param metric a metric name
     * @return an objective preferring larger values
     */
    public static Objective maximize(String metric) {
        return new Objective(metric, Goal.MAX);
    }

    /**
     * @param metric a metric name
     * @return an objective preferring smaller values
     */
    public static Objective minimize(String metric) {
        return new Objective(metric, Goal.MIN);
    }

    /** @return whether larger values are better */
    public boolean maximize() {
        return goal == Goal.MAX;
    }

    /**
     * @param a a value of this metric
     * @param b another
     * @return whether {@code a} is strictly better than {@code b}
     */
    public boolean better(double a, double b) {
        return maximize() ? a > b : a < b;
    }

    @Override
    public String toString() {
        return metric + " " + (maximize() ? "max" : "min");
    }
}

package dev.creamery.api;

/**
 * A metric to optimise, and in which direction.
 *
 * @param metric a metric name (see {@link Metrics})
 * @param maximize true to prefer larger values
 */
public record Objective(String metric, boolean maximize) {
    /** Validation accuracy, larger is better: what searches rank by unless told otherwise. */
    public static final Objective ACCURACY = maximize(Metrics.ACCURACY);

    /**
     * @param metric a metric name
     * @return an objective preferring larger values
     */
    public static Objective maximize(String metric) {
        return new Objective(metric, true);
    }

    /**
     * @param metric a metric name
     * @return an objective preferring smaller values
     */
    public static Objective minimize(String metric) {
        return new Objective(metric, false);
    }

    /**
     * @param a a value of this metric
     * @param b another
     * @return whether {@code a} is strictly better than {@code b}
     */
    public boolean better(double a, double b) {
        return maximize ? a > b : a < b;
    }
}

package dev.creamery.api;

/**
 * One architecture tried during a search.
 *
 * @param number the order in which it was evaluated, from 0
 * @param architecture what was tried
 * @param complexity its parameters and FLOPs
 * @param status whether it was evaluated, failed or rejected
 * @param evaluation the result (null unless {@link Status#OK})
 * @param message why it failed or was rejected (null when OK)
 */
public record Trial(int number, Architecture architecture, Complexity complexity, Status status,
        Evaluation evaluation, String message) {

    /** The outcome of a trial. */
    public enum Status {
        /** Evaluated; {@link Trial#evaluation()} holds the metrics. */
        OK,
        /** Evaluation failed (e.g. the loss became NaN); the search goes on. */
        FAILED,
        /** Refused before any work (outside the constraints); does not count against the budget. */
        REJECTED
    }

    /** Checks that the evaluation is present exactly when the status is OK. */
    public Trial {
        if ((status == Status.OK) != (evaluation != null)) {
            throw new IllegalArgumentException("a trial has an evaluation exactly when its status is OK");
        }
    }

    /** @return whether the trial was evaluated */
    public boolean ok() {
        return status == Status.OK;
    }

    /**
     * @param name a metric name
     * @return the metric, or NaN if the trial was not evaluated or has no such metric
     */
    public double metricOrNaN(String name) {
        if (!ok()) {
            return Double.NaN;
        }
        return evaluation.metrics().getOrDefault(name, Double.NaN);
    }
}

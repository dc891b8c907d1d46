package dev.creamery.api;

/**
 * Reports long work to the user (epoch, step, loss, trials done, best so far, ETA). The runtime
 * prints it at a readable rate; components only report.
 */
public interface Progress {
    /**
     * Starts tracking one piece of work whose size is known.
     *
     * @param activity what is being done, e.g. {@code "supernet epoch 2/4"}
     * @param total how many units it takes
     * @param unit the unit, e.g. {@code "step"}
     * @return the tracker; close it when the work ends
     */
    Tracker start(String activity, long total, String unit);

    /**
     * Reports a one-off event.
     *
     * @param message what happened
     */
    void note(String message);

    /** Tracks one piece of work. */
    interface Tracker extends AutoCloseable {
        /**
         * @param units units done since the last call
         * @param status a short status, e.g. {@code "loss 0.412"} (may be empty)
         */
        void advance(long units, String status);

        /**
         * Records a quantity at the work's current position, for plots that follow it over the
         * work (e.g. a policy's entropy per step): the dashboard and the run's report draw each
         * recorded quantity. A console ignores it.
         *
         * @param quantity its name, e.g. {@code "entropy"}
         * @param value its value now
         */
        default void record(String quantity, double value) {}

        /** Ends the work. */
        @Override
        void close();
    }
}

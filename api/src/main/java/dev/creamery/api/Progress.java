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

        /** Ends the work. */
        @Override
        void close();
    }
}

package dev.creamery.api;

/**
 * An evaluation could not produce a result (the loss became NaN, a measure was not finite). The
 * trial is recorded as failed with this message and the search goes on.
 */
public class TrialFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message why the trial failed */
    public TrialFailedException(String message) {
        super(message);
    }
}

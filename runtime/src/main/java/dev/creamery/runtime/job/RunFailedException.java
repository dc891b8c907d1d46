package dev.creamery.runtime.job;

/** A run could not finish (no trial succeeded, the final training diverged, an output could not be written). */
public class RunFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong */
    public RunFailedException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause the underlying error
     */
    public RunFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}

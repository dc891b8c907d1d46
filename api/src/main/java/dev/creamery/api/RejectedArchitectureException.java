package dev.creamery.api;

/**
 * An evaluator refuses an architecture before doing any work (e.g. outside the parameter budget).
 * The trial is recorded as rejected and does not count against the budget.
 */
public class RejectedArchitectureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message why it was refused */
    public RejectedArchitectureException(String message) {
        super(message);
    }
}

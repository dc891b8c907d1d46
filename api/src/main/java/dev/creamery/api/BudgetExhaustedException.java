package dev.creamery.api;

/**
 * Thrown by {@link SearchContext#evaluate} when the budget is used up. Strategies should check
 * {@link Budget#exhausted()} first; one that lets this escape simply ends its search.
 */
public class BudgetExhaustedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what ran out */
    public BudgetExhaustedException(String message) {
        super(message);
    }
}

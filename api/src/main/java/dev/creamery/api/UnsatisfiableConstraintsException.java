package dev.creamery.api;

/**
 * No member of a space can meet a search's size limits. Strategies throw it from
 * {@link SearchStrategy#check} (before any time is spent) or when sampling cannot find an admissible
 * member; a strategy that runs another as its {@code inner} search may catch it and finish with
 * what it has found.
 */
public class UnsatisfiableConstraintsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message which limit cannot be met and what the space spans */
    public UnsatisfiableConstraintsException(String message) {
        super(message);
    }
}

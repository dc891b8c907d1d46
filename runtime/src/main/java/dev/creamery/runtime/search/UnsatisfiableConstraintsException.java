package dev.creamery.runtime.search;

/** No member of the space can meet the search's constraints; found before any time is spent. */
public class UnsatisfiableConstraintsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message which limit cannot be met and what the space spans */
    public UnsatisfiableConstraintsException(String message) {
        super(message);
    }
}

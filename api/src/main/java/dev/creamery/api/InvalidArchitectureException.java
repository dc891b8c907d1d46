package dev.creamery.api;

import java.util.List;

/** An architecture is not a member of a space: names the dimension, the value and what is allowed. */
public class InvalidArchitectureException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String dimension;

    /**
     * @param dimension the offending dimension
     * @param message what is wrong and what is allowed
     */
    public InvalidArchitectureException(String dimension, String message) {
        super(message);
        this.dimension = dimension;
    }

    /**
     * @param dimension the offending dimension
     * @param value the value found
     * @param allowed the allowed values
     * @return the exception with a message listing the allowed values
     */
    public static InvalidArchitectureException notAllowed(String dimension, Object value, List<?> allowed) {
        return new InvalidArchitectureException(dimension,
                "dimension '" + dimension + "' cannot be " + value + "; allowed: " + allowed);
    }

    /** @return the dimension that is wrong (or missing) */
    public String dimension() {
        return dimension;
    }
}

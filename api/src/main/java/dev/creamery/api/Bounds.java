package dev.creamery.api;

/**
 * An inclusive range of counts, e.g. a parameter budget {@code [100k, 600k]}.
 *
 * @param min the smallest allowed value
 * @param max the largest allowed value
 */
public record Bounds(long min, long max) {
    /** No limit at all. */
    public static final Bounds ANY = new Bounds(0, Long.MAX_VALUE);

    /** Checks {@code 0 <= min <= max}. */
    public Bounds {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("invalid range [" + min + ", " + max + "]: need 0 <= min <= max");
        }
    }

    /**
     * @param value a count
     * @return whether it lies in the range
     */
    public boolean contains(long value) {
        return value >= min && value <= max;
    }

    /**
     * @param low the least value of a span
     * @param high the largest value of the span
     * @return whether some value of {@code [low, high]} lies in the range
     */
    public boolean overlaps(long low, long high) {
        return low <= max && high >= min;
    }

    @Override
    public String toString() {
        return "[" + Complexity.human(min) + ", " + (max == Long.MAX_VALUE ? "inf" : Complexity.human(max)) + "]";
    }
}

package dev.creamery.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One searchable dimension of a {@link SearchSpace}: a name and its candidate values.
 *
 * <p>Three shapes cover the spaces of the papers:
 *
 * <ul>
 *   <li>a <em>choice</em> ({@link #of}): one value from the candidates; mutated with the choice
 *       probability, like one choice block of SPOS;
 *   <li>a <em>structural</em> choice ({@link #structural}): a value that reshapes the whole network
 *       (depth, embedding width); mutated with the structure probability, as AutoFormer's evolution
 *       does for depth and embedding dimension;
 *   <li>a <em>per-layer</em> dimension ({@link #perLayer}): a list with one candidate value per
 *       layer, its length given by another dimension (the depth) or fixed ({@link #layers}, the
 *       choice blocks of a stage of fixed depth in SPOS and Cream); each entry is mutated with the
 *       choice probability.
 * </ul>
 *
 * Candidates are listed from the smallest network to the largest, so that the first of each
 * dimension makes the smallest member of the space and the last the largest.
 */
public final class Dimension {
    private final String name;
    private final List<Object> candidates;
    private final boolean structural;
    private final String lengthFrom;
    private final int fixedLength;

    private Dimension(String name, List<?> candidates, boolean structural, String lengthFrom, int fixedLength) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("dimension '" + name + "' has no candidates");
        }
        List<Object> normalized = new ArrayList<>();
        for (Object candidate : candidates) {
            Object value = Architecture.normalize(candidate);
            if (value instanceof List) {
                throw new IllegalArgumentException("candidates of '" + name + "' must be single values");
            }
            if (normalized.contains(value)) {
                throw new IllegalArgumentException("dimension '" + name + "' lists " + value + " twice");
            }
            normalized.add(value);
        }
        Architecture.builder().put(name, 0); // validates the name
        this.name = name;
        this.candidates = Collections.unmodifiableList(normalized);
        this.structural = structural;
        this.lengthFrom = lengthFrom;
        this.fixedLength = fixedLength;
    }

    /**
     * @param name the dimension name
     * @param candidates the values, smallest network first
     * @return a choice dimension
     */
    public static Dimension of(String name, List<?> candidates) {
        return new Dimension(name, candidates, false, null, 0);
    }

    /**
     * @param name the dimension name
     * @param candidates the values, smallest network first
     * @return a structural choice dimension (mutated with the structure probability)
     */
    public static Dimension structural(String name, List<?> candidates) {
        return new Dimension(name, candidates, true, null, 0);
    }

    /**
     * @param name the dimension name
     * @param lengthFrom the name of the (whole-number) dimension that gives the number of layers
     * @param candidates the values each layer can take, smallest network first
     * @return a per-layer dimension
     */
    public static Dimension perLayer(String name, String lengthFrom, List<?> candidates) {
        return new Dimension(name, candidates, false, Objects.requireNonNull(lengthFrom), 0);
    }

    /**
     * @param name the dimension name
     * @param count the number of layers, the same in every member
     * @param candidates the values each layer can take, smallest network first
     * @return a per-layer dimension of fixed length
     */
    public static Dimension layers(String name, int count, List<?> candidates) {
        if (count < 1) {
            throw new IllegalArgumentException("dimension '" + name + "' needs at least one layer, got " + count);
        }
        return new Dimension(name, candidates, false, null, count);
    }

    /**
     * @param subset some of this dimension's candidates
     * @return the same dimension (kind, length) with only those candidates, in this dimension's order
     * @throws IllegalArgumentException if the subset is empty or has a value that is not a candidate
     */
    public Dimension narrowed(List<?> subset) {
        List<Object> values = new ArrayList<>();
        for (Object value : subset) {
            values.add(Architecture.normalize(value));
        }
        for (Object value : values) {
            if (!candidates.contains(value)) {
                throw new IllegalArgumentException("'" + name + "' cannot be narrowed to " + value + "; candidates: " + candidates);
            }
        }
        List<Object> kept = candidates.stream().filter(values::contains).toList();
        return new Dimension(name, kept, structural, lengthFrom, fixedLength);
    }

    /** @return the dimension name */
    public String name() {
        return name;
    }

    /** @return the candidate values (normalised as in {@link Architecture}), smallest network first */
    public List<Object> candidates() {
        return candidates;
    }

    /** @return whether mutation treats this dimension with the structure probability */
    public boolean isStructural() {
        return structural;
    }

    /** @return whether the value is a list with one entry per layer */
    public boolean isPerLayer() {
        return lengthFrom != null || fixedLength > 0;
    }

    /** @return for a per-layer dimension whose length varies, the dimension that gives it; otherwise null */
    public String lengthFrom() {
        return lengthFrom;
    }

    /** @return for a per-layer dimension of {@linkplain #layers fixed length}, the number of layers; otherwise 0 */
    public int fixedLength() {
        return fixedLength;
    }

    /**
     * @param value a single (normalised or not) value
     * @return whether it is one of the candidates
     */
    public boolean allows(Object value) {
        return candidates.contains(Architecture.normalize(value));
    }

    @Override
    public String toString() {
        String layers = fixedLength > 0 ? "[" + fixedLength + " layers]" : "[per layer of " + lengthFrom + "]";
        return name + (isPerLayer() ? layers : "") + (structural ? "(structural)" : "")
                + " in " + candidates;
    }
}

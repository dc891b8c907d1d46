package dev.creamery.api;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One member of a search space: an immutable, ordered map from dimension name to value.
 *
 * <p>A value is a number ({@code long} or {@code double}), a string, a boolean, or a list of those
 * (one entry per layer, for per-layer dimensions). Numbers are normalised so that one value has one
 * form: a whole number is always held as a {@code Long} ({@code 4.0} becomes {@code 4}), any other
 * number as a {@code Double}. Strings may use letters, digits and {@code _ . : + -}; a string that
 * reads as a number or a boolean ({@code "3"}, {@code "1e-3"}, {@code "true"}) is held as that number
 * or boolean, since the canonical form could not tell them apart.
 *
 * <p>The {@linkplain #canonical() canonical form}, e.g. {@code depth=3 width=[16,32,32] act=relu},
 * is stable across runs and is the key under which the journal stores a trial; {@link #parse}
 * reads it back.
 */
public final class Architecture implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.:+-]+");
    private static final Pattern WHOLE = Pattern.compile("-?\\d{1,19}");
    // Possessive: no backtracking, so a long run of digits that is no number is refused in linear time.
    private static final Pattern DECIMAL = Pattern.compile("-?(\\d++\\.?+\\d*+|\\.\\d++)([eE][-+]?+\\d++)?+");

    private final Map<String, Object> values;
    private final String canonical;

    private Architecture(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
        this.canonical = render(values);
    }

    /**
     * Creates an architecture from name/value pairs in order, e.g. {@code of("depth", 3, "width",
     * List.of(16, 32, 32))}.
     *
     * @param namesAndValues alternating names and values
     * @return the architecture
     */
    public static Architecture of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("expected name/value pairs, got an odd number of arguments");
        }
        Builder builder = builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            builder.put(String.valueOf(namesAndValues[i]), namesAndValues[i + 1]);
        }
        return builder.build();
    }

    /**
     * Creates an architecture from a map, keeping its iteration order.
     *
     * @param values the values by dimension name
     * @return the architecture
     */
    public static Architecture of(Map<String, ?> values) {
        Builder builder = builder();
        values.forEach(builder::put);
        return builder.build();
    }

    /** @return a builder that keeps insertion order */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from this architecture's values, to change some of them */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.values.putAll(values);
        return builder;
    }

    /** @return the dimension names, in order */
    public Set<String> names() {
        return values.keySet();
    }

    /** @return the values by dimension name, in order (unmodifiable) */
    public Map<String, Object> values() {
        return values;
    }

    /**
     * @param name a dimension name
     * @return whether this architecture has a value for it
     */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * @param name a dimension name
     * @return its value (a {@code Long}, {@code Double}, {@code String}, {@code Boolean} or an
     *     unmodifiable list of those)
     * @throws IllegalArgumentException if the architecture has no such dimension
     */
    public Object get(String name) {
        Object value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("architecture has no dimension '" + name + "'; it has " + values.keySet());
        }
        return value;
    }

    /**
     * @param name a dimension name whose value is a whole number
     * @return the value
     */
    public int getInt(String name) {
        return Math.toIntExact(asLong(name, get(name)));
    }

    /**
     * @param name a dimension name whose value is a number
     * @return the value
     */
    public double getDouble(String name) {
        return asDouble(name, get(name));
    }

    /**
     * @param name a dimension name whose value is a string
     * @return the value
     */
    public String getString(String name) {
        Object value = get(name);
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException("dimension '" + name + "' is not a string: " + value);
        }
        return s;
    }

    /**
     * @param name a per-layer dimension
     * @return its values, one per layer
     */
    public List<Object> getList(String name) {
        Object value = get(name);
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("dimension '" + name + "' is not a list: " + value);
        }
        return Collections.unmodifiableList(list);
    }

    /**
     * @param name a per-layer dimension of whole numbers
     * @return its values, one per layer
     */
    public int[] getIntList(String name) {
        return getList(name).stream().mapToInt(v -> Math.toIntExact(asLong(name, v))).toArray();
    }

    /**
     * @param name a per-layer dimension of numbers
     * @return its values, one per layer
     */
    public double[] getDoubleList(String name) {
        return getList(name).stream().mapToDouble(v -> asDouble(name, v)).toArray();
    }

    /**
     * @return the canonical one-line form, e.g. {@code depth=3 width=[16,32,32]}; equal
     *     architectures have equal canonical forms
     */
    public String canonical() {
        return canonical;
    }

    /**
     * Reads the {@linkplain #canonical() canonical form}.
     *
     * @param text a canonical form
     * @return the architecture
     * @throws IllegalArgumentException naming the offending part if the text is malformed
     */
    public static Architecture parse(String text) {
        Builder builder = builder();
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            return builder.build();
        }
        for (String entry : trimmed.split("\\s+")) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("malformed architecture entry '" + printable(entry) + "' in '" + printable(text)
                        + "'; expected name=value");
            }
            String name = entry.substring(0, eq);
            String raw = entry.substring(eq + 1);
            if (raw.startsWith("[")) {
                if (!raw.endsWith("]")) {
                    throw new IllegalArgumentException("unclosed list in '" + printable(entry) + "'");
                }
                String inner = raw.substring(1, raw.length() - 1);
                List<Object> list = new ArrayList<>();
                if (!inner.isEmpty()) {
                    for (String item : inner.split(",", -1)) {
                        list.add(parseScalar(item));
                    }
                }
                builder.put(name, list);
            } else {
                builder.put(name, parseScalar(raw));
            }
        }
        return builder.build();
    }

    /**
     * Normalises a value to the form architectures hold (see the class comment).
     *
     * @param value a number, string, boolean, or a list of those
     * @return the normalised value
     */
    public static Object normalize(Object value) {
        Objects.requireNonNull(value, "architecture values cannot be null");
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object item : list) {
                if (item instanceof List) {
                    throw new IllegalArgumentException("nested lists are not architecture values: " + value);
                }
                copy.add(normalize(item));
            }
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof int[] ints) {
            List<Object> copy = new ArrayList<>(ints.length);
            for (int v : ints) {
                copy.add((long) v);
            }
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof Number number) {
            return normalizeNumber(number);
        }
        if (value instanceof Boolean) {
            return value;
        }
        if (value instanceof String s) {
            if (!WORD.matcher(s).matches()) {
                throw new IllegalArgumentException("architecture string values use letters, digits and _ . : + -, got '"
                        + printable(s) + "'");
            }
            // The canonical form cannot tell "3" from 3: a string that reads as a number or a boolean is one.
            Object read = scalarOf(s);
            return read != null ? read : s;
        }
        throw new IllegalArgumentException("unsupported architecture value " + value + " (" + value.getClass().getName() + ")");
    }

    private static String printable(String text) {
        return Quoted.oneLine(text, 200);
    }

    private static Object normalizeNumber(Number number) {
        if (number instanceof Long || number instanceof Integer || number instanceof Short || number instanceof Byte) {
            return number.longValue();
        }
        double d = number.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("architecture values must be finite, got " + d);
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return (long) d;
        }
        return d;
    }

    private static Object parseScalar(String raw) {
        Object read = scalarOf(raw);
        return read != null ? read : normalize(raw);
    }

    /** @return the boolean or number the text reads as, or null if it reads as neither */
    private static Object scalarOf(String raw) {
        if (raw.equals("true") || raw.equals("false")) {
            return Boolean.parseBoolean(raw);
        }
        if (WHOLE.matcher(raw).matches()) {
            try {
                return Long.parseLong(raw);
            } catch (NumberFormatException e) {
                // beyond a long: read as a double below
            }
        }
        if (DECIMAL.matcher(raw).matches()) {
            return normalizeNumber(Double.parseDouble(raw));
        }
        return null;
    }

    private static String render(Map<String, Object> values) {
        StringBuilder sb = new StringBuilder();
        values.forEach((name, value) -> {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(name).append('=');
            if (value instanceof List<?> list) {
                sb.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    sb.append(renderScalar(list.get(i)));
                }
                sb.append(']');
            } else {
                sb.append(renderScalar(value));
            }
        });
        return sb.toString();
    }

    private static String renderScalar(Object value) {
        if (value instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }

    private static long asLong(String name, Object value) {
        if (value instanceof Long l) {
            return l;
        }
        throw new IllegalArgumentException("dimension '" + name + "' is not a whole number: " + value);
    }

    private static double asDouble(String name, Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("dimension '" + name + "' is not a number: " + value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Architecture other && canonical.equals(other.canonical);
    }

    @Override
    public int hashCode() {
        return canonical.hashCode();
    }

    @Override
    public String toString() {
        return canonical;
    }

    /** Crosses a JVM boundary (an executor's task) as its canonical form, which {@link #parse} reads back. */
    private Object writeReplace() {
        return new Canonical(canonical);
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
        throw new java.io.InvalidObjectException("an architecture is serialised as its canonical form");
    }

    private record Canonical(String text) implements Serializable {
        private static final long serialVersionUID = 1L;

        private Object readResolve() {
            return parse(text);
        }
    }

    /** Builds an {@link Architecture}, keeping insertion order; putting a name again replaces its value in place. */
    public static final class Builder {
        private final LinkedHashMap<String, Object> values = new LinkedHashMap<>();

        private Builder() {}

        /**
         * @param name a dimension name (a letter, then letters, digits, {@code _ . -})
         * @param value its value
         * @return this builder
         */
        public Builder put(String name, Object value) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid dimension name '" + printable(name) + "'");
            }
            values.put(name, normalize(value));
            return this;
        }

        /**
         * @param name a dimension name
         * @return this builder
         */
        public Builder remove(String name) {
            values.remove(name);
            return this;
        }

        /** @return the architecture */
        public Architecture build() {
            return new Architecture(new LinkedHashMap<>(values));
        }
    }
}

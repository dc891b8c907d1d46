package dev.creamery.models;

import dev.creamery.api.Architecture;
import dev.creamery.api.InvalidArchitectureException;
import java.util.LinkedHashSet;
import java.util.Set;

/** Reads and checks the per-stage lists of an architecture. */
final class Stages {
    private Stages() {}

    /** Rejects dimensions the family does not know, so a misspelt one is not silently ignored. */
    static void checkNames(Architecture architecture, Set<String> known, String family) {
        checkNames(architecture, known, Set.of(), family);
    }

    /** As {@link #checkNames(Architecture, Set, String)}, where the optional dimensions may be left out (they have defaults). */
    static void checkNames(Architecture architecture, Set<String> required, Set<String> optional, String family) {
        for (String name : architecture.names()) {
            if (!required.contains(name) && !optional.contains(name)) {
                Set<String> known = new LinkedHashSet<>(required);
                known.addAll(optional);
                throw new InvalidArchitectureException(name, family + " has no dimension '" + name + "'; its dimensions are "
                        + known);
            }
        }
        for (String name : required) {
            if (!architecture.has(name)) {
                throw new InvalidArchitectureException(name, family + " architecture lacks dimension '" + name + "'");
            }
        }
    }

    /**
     * @param architecture the architecture
     * @param name a per-stage dimension
     * @param length how many values it must have
     * @param minimum the smallest value allowed
     * @return the values
     */
    static int[] ints(Architecture architecture, String name, int length, int minimum) {
        int[] values = architecture.getIntList(name);
        if (values.length != length) {
            throw new InvalidArchitectureException(name, "dimension '" + name + "' needs " + length + " values, got "
                    + values.length);
        }
        for (int value : values) {
            if (value < minimum) {
                throw new InvalidArchitectureException(name, "dimension '" + name + "' values must be at least " + minimum
                        + ", got " + value);
            }
        }
        return values;
    }
}

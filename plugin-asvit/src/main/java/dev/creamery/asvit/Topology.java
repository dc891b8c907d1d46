package dev.creamery.asvit;

import dev.creamery.api.Architecture;
import dev.creamery.api.InvalidArchitectureException;
import dev.creamery.api.Quoted;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An As-ViT topology, decoded as the official {@code genotypes.Structure} decodes a topology string.
 *
 * <p>The string has four stage fields and a head field, separated by {@code |}:
 * {@code K,S,E[,L]|K,S,E[,L]|K,S,E[,L]|K,S,E[,L]|H[,D]}. Per stage: the tokenisation kernel
 * {@code K} (the patch-embedding kernel for stage 1, the patch-merging kernel before stages 2-4),
 * the split {@code S} (windows per side: the window is the stage resolution divided by S), the MLP
 * expansion {@code E} and the number of layers {@code L} (1 if absent). {@code H} is the head count
 * of the last stage (stages use H/8, H/4, H/2, H) and {@code D} the initial hidden size (32 if
 * absent). The README's seed is {@code 8,2,3|4,1,2|4,1,4|4,1,6|32}; its As-ViT Large is
 * {@code 8,2,3,5|4,1,2,2|4,1,4,5|4,1,6,2|32,180}.
 *
 * <p>As an {@link Architecture} a topology has the keys {@code kernel1 split1 expansion1 ...
 * kernel4 split4 expansion4 heads}, followed by {@code layers1..layers4 hidden_size} only when the
 * topology carries a scale (written with {@code L} and {@code D}); without them it is at its
 * search-time scale (one layer per stage, hidden size 32).
 *
 * @param kernels K per stage
 * @param splits S per stage
 * @param expansions E per stage
 * @param layers L per stage
 * @param heads H, the head count of the last stage
 * @param hiddenSize D, the width of stage 1 (stage i has {@code min(1024, D * 2^i)})
 * @param scaled whether the text form writes layers and hidden size
 */
public record Topology(int[] kernels, int[] splits, int[] expansions, int[] layers, int heads, int hiddenSize,
        boolean scaled) {
    /** Stages of every As-ViT network. */
    public static final int STAGES = 4;
    /** Layers per stage when the string gives none (the search-time depth). */
    public static final int DEFAULT_LAYERS = 1;
    /** Hidden size when the string gives none (the search-time width of search/reinforce.py). */
    public static final int DEFAULT_HIDDEN_SIZE = 32;

    static final String HEADS = "heads";
    static final String HIDDEN_SIZE = "hidden_size";

    /** Copies the arrays and checks the values are positive and the head count divides the stages. */
    public Topology {
        kernels = checked("kernel", kernels);
        splits = checked("split", splits);
        expansions = checked("expansion", expansions);
        layers = checked("layers", layers);
        if (heads < 8) {
            throw new InvalidArchitectureException(HEADS, "heads must be at least 8 (stage 1 has heads/8), got " + heads);
        }
        if (hiddenSize < 1) {
            throw new InvalidArchitectureException(HIDDEN_SIZE, "hidden_size must be positive, got " + hiddenSize);
        }
        if (!scaled && (hiddenSize != DEFAULT_HIDDEN_SIZE || Arrays.stream(layers).anyMatch(l -> l != DEFAULT_LAYERS))) {
            throw new IllegalArgumentException("a topology without scale has " + DEFAULT_LAYERS + " layer per stage and hidden size "
                    + DEFAULT_HIDDEN_SIZE);
        }
    }

    /**
     * @param name a stage dimension's base name ({@code kernel}, {@code split}, {@code expansion},
     *     {@code layers})
     * @param stage 0-based stage
     * @return the architecture key, e.g. {@code kernel1}
     */
    static String key(String name, int stage) {
        return name + (stage + 1);
    }

    /** @return the heads of each stage, {@code [H/8, H/4, H/2, H]} as the official code floors them */
    public int[] stageHeads() {
        return new int[] {heads / 8, heads / 4, heads / 2, heads};
    }

    /**
     * @param stage 0-based stage
     * @return the stage's channel width, {@code min(1024, D * 2^stage)}
     */
    public int stageDim(int stage) {
        return (int) Math.min(1024L, (long) hiddenSize << stage);
    }

    /** @return the width after the last stage, {@code min(1024, 8 D)} */
    public int features() {
        return stageDim(STAGES - 1);
    }

    /**
     * @param newLayers layers per stage
     * @param newHiddenSize the hidden size
     * @return this topology at another scale (always written with its scale)
     */
    public Topology withScale(int[] newLayers, int newHiddenSize) {
        return new Topology(kernels, splits, expansions, newLayers, heads, newHiddenSize, true);
    }

    /** @return this topology at the search-time scale (one layer per stage, hidden size 32), without scale in its text */
    public Topology unscaled() {
        int[] ones = new int[STAGES];
        Arrays.fill(ones, DEFAULT_LAYERS);
        return new Topology(kernels, splits, expansions, ones, heads, DEFAULT_HIDDEN_SIZE, false);
    }

    /**
     * Reads a topology string as the official {@code Structure} does, but strictly: every field
     * must be a positive whole number and either every stage gives its layers or none does.
     *
     * @param text e.g. {@code 8,2,3|4,1,2|4,1,4|4,1,6|32}
     * @return the topology
     * @throws InvalidArchitectureException naming the field and what it allows
     */
    public static Topology parse(String text) {
        String trimmed = text.trim();
        String[] fields = trimmed.split("\\|", -1);
        if (fields.length != STAGES + 1) {
            throw new InvalidArchitectureException("topology", "topology '" + shown(text) + "' has " + fields.length
                    + " fields separated by '|'; expected 4 stages 'K,S,E[,L]' and a head field 'H[,D]', e.g. "
                    + "8,2,3|4,1,2|4,1,4|4,1,6|32");
        }
        int[] kernels = new int[STAGES];
        int[] splits = new int[STAGES];
        int[] expansions = new int[STAGES];
        int[] layers = new int[STAGES];
        Boolean withLayers = null;
        for (int s = 0; s < STAGES; s++) {
            String[] parts = fields[s].split(",", -1);
            if (parts.length != 3 && parts.length != 4) {
                throw new InvalidArchitectureException(key("kernel", s), "stage " + (s + 1) + " field '" + shown(fields[s])
                        + "' of topology '" + shown(text) + "' must be 'K,S,E' or 'K,S,E,L' (kernel, split, expansion, layers)");
            }
            boolean has = parts.length == 4;
            if (withLayers != null && withLayers != has) {
                throw new InvalidArchitectureException(key("layers", s), "stage " + (s + 1) + " of topology '" + shown(text)
                        + "' " + (has ? "gives" : "lacks") + " a layer count (" + key("layers", s) + ") but stage 1 " + (withLayers ? "gives" : "lacks")
                        + " one; either every stage gives 'K,S,E,L' or none does");
            }
            withLayers = has;
            kernels[s] = number(text, key("kernel", s), parts[0]);
            splits[s] = number(text, key("split", s), parts[1]);
            expansions[s] = number(text, key("expansion", s), parts[2]);
            layers[s] = has ? number(text, key("layers", s), parts[3]) : DEFAULT_LAYERS;
        }
        String[] head = fields[STAGES].split(",", -1);
        if (head.length != 1 && head.length != 2) {
            throw new InvalidArchitectureException(HEADS, "head field '" + shown(fields[STAGES]) + "' of topology '" + shown(text)
                    + "' must be 'H' or 'H,D' (heads of the last stage, initial hidden size)");
        }
        int heads = number(text, HEADS, head[0]);
        boolean scaled = head.length == 2;
        if (scaled != withLayers) {
            throw new InvalidArchitectureException(HIDDEN_SIZE, "topology '" + shown(text) + "' " + (withLayers
                    ? "gives layers per stage but no hidden size; write the head field as 'H,D'"
                    : "gives a hidden size but no layers; write each stage as 'K,S,E,L'"));
        }
        int hidden = scaled ? number(text, HIDDEN_SIZE, head[1]) : DEFAULT_HIDDEN_SIZE;
        return new Topology(kernels, splits, expansions, layers, heads, hidden, scaled);
    }

    /** @return the topology string, with layers and hidden size when the topology is scaled */
    public String format() {
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s < STAGES; s++) {
            sb.append(kernels[s]).append(',').append(splits[s]).append(',').append(expansions[s]);
            if (scaled) {
                sb.append(',').append(layers[s]);
            }
            sb.append('|');
        }
        sb.append(heads);
        if (scaled) {
            sb.append(',').append(hiddenSize);
        }
        return sb.toString();
    }

    /** @return the architecture form (see the class comment for the keys and their order) */
    public Architecture toArchitecture() {
        Architecture.Builder builder = Architecture.builder();
        for (int s = 0; s < STAGES; s++) {
            builder.put(key("kernel", s), kernels[s]).put(key("split", s), splits[s]).put(key("expansion", s), expansions[s]);
        }
        builder.put(HEADS, heads);
        if (scaled) {
            for (int s = 0; s < STAGES; s++) {
                builder.put(key("layers", s), layers[s]);
            }
            builder.put(HIDDEN_SIZE, hiddenSize);
        }
        return builder.build();
    }

    /**
     * @param architecture an architecture with the keys of {@link #toArchitecture()}
     * @return the topology
     * @throws InvalidArchitectureException naming a missing, unknown or non-numeric key
     */
    public static Topology of(Architecture architecture) {
        List<String> expected = new ArrayList<>();
        for (int s = 0; s < STAGES; s++) {
            expected.addAll(List.of(key("kernel", s), key("split", s), key("expansion", s)));
        }
        expected.add(HEADS);
        List<String> scale = new ArrayList<>();
        for (int s = 0; s < STAGES; s++) {
            scale.add(key("layers", s));
        }
        scale.add(HIDDEN_SIZE);
        for (String name : architecture.names()) {
            if (!expected.contains(name) && !scale.contains(name)) {
                throw new InvalidArchitectureException(name, "unknown dimension '" + name + "'; an As-ViT topology has "
                        + expected + " and optionally " + scale);
            }
        }
        for (String name : expected) {
            if (!architecture.has(name)) {
                throw new InvalidArchitectureException(name, "dimension '" + name + "' is missing; an As-ViT topology has "
                        + expected + " and optionally " + scale);
            }
        }
        boolean scaled = scale.stream().anyMatch(architecture::has);
        if (scaled) {
            for (String name : scale) {
                if (!architecture.has(name)) {
                    throw new InvalidArchitectureException(name, "dimension '" + name + "' is missing; a scaled topology has all of "
                            + scale);
                }
            }
        }
        int[] kernels = new int[STAGES];
        int[] splits = new int[STAGES];
        int[] expansions = new int[STAGES];
        int[] layers = new int[STAGES];
        for (int s = 0; s < STAGES; s++) {
            kernels[s] = whole(architecture, key("kernel", s));
            splits[s] = whole(architecture, key("split", s));
            expansions[s] = whole(architecture, key("expansion", s));
            layers[s] = scaled ? whole(architecture, key("layers", s)) : DEFAULT_LAYERS;
        }
        int hidden = scaled ? whole(architecture, HIDDEN_SIZE) : DEFAULT_HIDDEN_SIZE;
        return new Topology(kernels, splits, expansions, layers, whole(architecture, HEADS), hidden, scaled);
    }

    private static int whole(Architecture architecture, String name) {
        Object value = architecture.get(name);
        if (!(value instanceof Long)) {
            throw new InvalidArchitectureException(name, "dimension '" + name + "' must be a whole number, got " + value);
        }
        return architecture.getInt(name);
    }

    private static int number(String text, String field, String raw) {
        String value = raw.trim();
        if (!value.matches("\\d{1,6}") || Integer.parseInt(value) == 0) {
            throw new InvalidArchitectureException(field, "field " + field + " of topology '" + shown(text) + "' is '" + shown(raw)
                    + "'; it must be a positive whole number");
        }
        return Integer.parseInt(value);
    }

    private static String shown(String text) {
        return Quoted.oneLine(text, 100);
    }

    private static int[] checked(String name, int[] values) {
        if (values.length != STAGES) {
            throw new IllegalArgumentException(name + " needs " + STAGES + " values, got " + values.length);
        }
        for (int s = 0; s < STAGES; s++) {
            if (values[s] < 1) {
                throw new InvalidArchitectureException(key(name, s), key(name, s) + " must be positive, got " + values[s]);
            }
        }
        return values.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Topology t && Arrays.equals(kernels, t.kernels) && Arrays.equals(splits, t.splits)
                && Arrays.equals(expansions, t.expansions) && Arrays.equals(layers, t.layers) && heads == t.heads
                && hiddenSize == t.hiddenSize && scaled == t.scaled;
    }

    @Override
    public int hashCode() {
        return format().hashCode() * 31 + (scaled ? 1 : 0);
    }

    @Override
    public String toString() {
        return format();
    }

    @Override
    public int[] kernels() {
        return kernels.clone();
    }

    @Override
    public int[] splits() {
        return splits.clone();
    }

    @Override
    public int[] expansions() {
        return expansions.clone();
    }

    @Override
    public int[] layers() {
        return layers.clone();
    }
}

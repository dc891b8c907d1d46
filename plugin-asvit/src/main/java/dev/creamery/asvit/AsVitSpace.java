package dev.creamery.asvit;

import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.Dimension;
import dev.creamery.api.DimensionSpace;
import dev.creamery.api.InvalidArchitectureException;
import dev.creamery.api.MutationRates;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The As-ViT topology space of the official {@code SEARCH_SPACE} (lib/models/cell_operations.py):
 * per stage a tokenisation kernel, an attention split and an MLP expansion, and the head count, in
 * the order of the topology string. Stage 4's split is always 1 in the official strings, so it is a
 * dimension with that single candidate. The space has 4,556,250 members.
 *
 * <p>A member may also carry a scale ({@code layers1..layers4} and {@code hidden_size}, the form the
 * growth strategy emits); without one it has the search-time scale of one layer per stage and hidden
 * size 32. Sampling, mutation and crossover act on the topology and keep a parent's scale. The text
 * form is the README's topology string ({@link #parse}, {@link #format}).
 */
public final class AsVitSpace extends DimensionSpace {
    private static final List<Integer> EXPANSIONS = List.of(2, 3, 4, 5, 6);
    private static final List<Dimension> DIMENSIONS = List.of(
            Dimension.of("kernel1", List.of(4, 5, 6, 7, 8)),
            // Splits are listed smallest network first: more windows per side means smaller windows and fewer FLOPs.
            Dimension.of("split1", List.of(8, 4, 2)),
            Dimension.of("expansion1", EXPANSIONS),
            Dimension.of("kernel2", List.of(2, 3, 4)),
            Dimension.of("split2", List.of(4, 2, 1)),
            Dimension.of("expansion2", EXPANSIONS),
            Dimension.of("kernel3", List.of(2, 3, 4)),
            Dimension.of("split3", List.of(2, 1)),
            Dimension.of("expansion3", EXPANSIONS),
            Dimension.of("kernel4", List.of(2, 3, 4)),
            Dimension.of("split4", List.of(1)),
            Dimension.of("expansion4", EXPANSIONS),
            Dimension.of("heads", List.of(16, 32, 64)));

    private final AsVitFamily family;

    /** The space with the default settings. */
    public AsVitSpace() {
        this(AsVitSettings.DEFAULTS);
    }

    /** @param settings how the space's networks train (its members are the same whatever they are) */
    public AsVitSpace(AsVitSettings settings) {
        family = new AsVitFamily(settings);
    }

    @Override
    public List<Dimension> dimensions() {
        return DIMENSIONS;
    }

    @Override
    public Complexity complexity(Architecture architecture, Task task) {
        return family.complexity(architecture, task);
    }

    @Override
    public AsVitNetwork build(Architecture architecture, Task task) {
        return family.build(architecture, task);
    }

    @Override
    public void validate(Architecture architecture) {
        for (Dimension dimension : DIMENSIONS) {
            String name = dimension.name();
            if (!architecture.has(name)) {
                throw new InvalidArchitectureException(name, "dimension '" + name + "' is missing; allowed: " + dimension.candidates());
            }
            Object value = architecture.get(name);
            if (!dimension.candidates().contains(value)) {
                throw InvalidArchitectureException.notAllowed(name, value, dimension.candidates());
            }
        }
        Topology topology = Topology.of(architecture);
        if (8L * topology.hiddenSize() < topology.heads()) {
            throw new InvalidArchitectureException(Topology.HIDDEN_SIZE, "hidden_size " + topology.hiddenSize()
                    + " is too narrow for " + topology.heads() + " heads: stage 1 has heads/8 heads, so hidden_size must be at least "
                    + (topology.heads() + 7) / 8);
        }
    }

    @Override
    public Architecture mutate(Architecture parent, Random random, MutationRates rates) {
        return withScaleOf(super.mutate(Topology.of(parent).unscaled().toArchitecture(), random, rates), parent);
    }

    @Override
    public Optional<Architecture> crossover(Architecture first, Architecture second, Random random) {
        Topology a = Topology.of(first);
        Topology b = Topology.of(second);
        if (a.scaled() != b.scaled() || a.hiddenSize() != b.hiddenSize() || !java.util.Arrays.equals(a.layers(), b.layers())) {
            return Optional.empty();
        }
        return super.crossover(first, second, random).map(child -> withScaleOf(child, first));
    }

    /**
     * @param text a topology string, e.g. {@code 8,2,3|4,1,2|4,1,4|4,1,6|32}
     * @return the member
     * @throws InvalidArchitectureException naming the field and the values it allows
     */
    @Override
    public Architecture parse(String text) {
        Architecture architecture = Topology.parse(text).toArchitecture();
        validate(architecture);
        return architecture;
    }

    @Override
    public String format(Architecture architecture) {
        return Topology.of(architecture).format();
    }

    private static Architecture withScaleOf(Architecture child, Architecture parent) {
        Topology scale = Topology.of(parent);
        if (!scale.scaled()) {
            return child;
        }
        Topology topology = Topology.of(child);
        return topology.withScale(scale.layers(), scale.hiddenSize()).toArchitecture();
    }

    /** @return the names of the searched dimensions, in order */
    static List<String> names() {
        List<String> names = new ArrayList<>();
        DIMENSIONS.forEach(d -> names.add(d.name()));
        return names;
    }

    @Override
    public String toString() {
        return "As-ViT topology space";
    }
}

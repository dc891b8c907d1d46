package dev.creamery.api;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A space narrowed to some of its candidates: the same networks (built, counted and, for a
 * weight-sharing space, held in the same supernet by the base space), fewer choices per dimension.
 * Sampling, mutation and crossover follow the narrowed dimensions. Search-space search (S3) moves
 * such a view across its base space step by step.
 */
public class Subspace extends DimensionSpace {
    private final SearchSpace base;
    private final List<Dimension> dimensions;

    Subspace(SearchSpace base, Map<String, ? extends List<?>> candidates) {
        this.base = base;
        List<String> names = base.dimensions().stream().map(Dimension::name).toList();
        for (String name : candidates.keySet()) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("cannot narrow '" + name + "': the space has " + names);
            }
        }
        List<Dimension> narrowed = new ArrayList<>();
        for (Dimension dimension : base.dimensions()) {
            List<?> subset = candidates.get(dimension.name());
            narrowed.add(subset == null ? dimension : dimension.narrowed(subset));
        }
        this.dimensions = List.copyOf(narrowed);
    }

    /**
     * @param base the space to narrow (itself possibly a subspace)
     * @param candidates for each dimension to narrow, the candidates to keep; others keep all theirs
     * @return the narrowed space, a {@link WeightSharingSpace} if the base is one
     * @throws IllegalArgumentException if a name is not a dimension or a value not a candidate of it
     */
    public static Subspace of(SearchSpace base, Map<String, ? extends List<?>> candidates) {
        return base instanceof WeightSharingSpace sharing ? new Sharing(sharing, candidates) : new Subspace(base, candidates);
    }

    /** @return the space this one narrows */
    public SearchSpace base() {
        return base;
    }

    /** @return the space at the bottom of a chain of subspaces: the one that builds the networks */
    public SearchSpace root() {
        return base instanceof Subspace subspace ? subspace.root() : base;
    }

    @Override
    public List<Dimension> dimensions() {
        return dimensions;
    }

    @Override
    public Complexity complexity(Architecture architecture, Task task) {
        return base.complexity(architecture, task);
    }

    @Override
    public Block build(Architecture architecture, Task task) {
        validate(architecture);
        return base.build(architecture, task);
    }

    @Override
    public void validate(Architecture architecture) {
        base.validate(architecture);
        super.validate(architecture);
    }

    @Override
    public Architecture parse(String text) {
        Architecture architecture = base.parse(text);
        validate(architecture);
        return architecture;
    }

    @Override
    public String format(Architecture architecture) {
        return base.format(architecture);
    }

    @Override
    public String toString() {
        return "subspace " + dimensions;
    }

    /** A subspace of a weight-sharing space: its members live in the base space's supernet. */
    private static final class Sharing extends Subspace implements WeightSharingSpace {
        private final WeightSharingSpace sharing;

        Sharing(WeightSharingSpace base, Map<String, ? extends List<?>> candidates) {
            super(base, candidates);
            this.sharing = base;
        }

        @Override
        public Supernet supernet(Task task) {
            return sharing.supernet(task);
        }
    }
}

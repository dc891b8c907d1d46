package dev.creamery.runtime.search;

import dev.creamery.api.Architecture;
import dev.creamery.api.Constraints;
import dev.creamery.api.Metrics;
import dev.creamery.api.MutationRates;
import dev.creamery.api.Objective;
import dev.creamery.api.Pareto;
import dev.creamery.api.Progress;
import dev.creamery.api.SearchContext;
import dev.creamery.api.SearchResult;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.SearchStrategy;
import dev.creamery.api.Task;
import dev.creamery.api.Trial;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Evolutionary search as in AutoFormer's and SPOS's {@code EvolutionSearcher}: a random initial
 * population; each generation keeps the top {@code parents} of everything evaluated so far,
 * breeds {@code mutations} children by mutation and {@code crossovers} by crossover, and fills up
 * the population with random members. Candidates outside the constraints and candidates already
 * evaluated are skipped, with at most ten draws per wanted child as in the official code. How a
 * member mutates and crosses over is the space's business ({@link SearchSpace#mutate},
 * {@link SearchSpace#crossover}), which is where AutoFormer's depth-versus-layer rules live.
 * Parents are ranked by the job's objectives; each generation goes to the context as one batch.
 */
public final class EvolutionSearch implements SearchStrategy {
    private static final int CROSSOVER_PARENT_ATTEMPTS = 50;

    private final Settings settings;

    /**
     * @param population candidates per generation
     * @param generations generations after the initial population
     * @param parents how many of the best candidates breed (AutoFormer's {@code select_num})
     * @param mutationProbability chance that each choice and each layer entry is redrawn ({@code m_prob})
     * @param structureProbability chance that each structural dimension is redrawn ({@code s_prob})
     * @param mutations children made by mutation per generation
     * @param crossovers children made by crossover per generation
     * @param constraints size limits of the candidates
     * @param selection how the parents are ranked: by the job's first objective (AutoFormer's top-k), or
     *     by Pareto rank over all the job's objectives, ties by the first
     */
    public record Settings(int population, int generations, int parents, double mutationProbability,
            double structureProbability, int mutations, int crossovers, Constraints constraints, Selection selection) {
        /** Checks the domain of every setting. */
        public Settings {
            if (population < 1 || generations < 0 || parents < 1 || mutations < 0 || crossovers < 0) {
                throw new IllegalArgumentException("population and parents must be >= 1; generations, mutations and crossovers >= 0");
            }
            if (mutations + crossovers > population) {
                throw new IllegalArgumentException("mutations + crossovers (" + (mutations + crossovers)
                        + ") cannot exceed the population (" + population + ")");
            }
            new MutationRates(mutationProbability, structureProbability);
            Objects.requireNonNull(selection, "selection must be primary or pareto");
        }
    }

    /** How parents are ranked. */
    public enum Selection {
        /** By the job's first objective: the top {@code parents} (AutoFormer, SPOS). */
        PRIMARY,
        /** By Pareto rank over all the job's objectives (non-dominated sorting), ties by the first objective. */
        PARETO
    }

    /** @param settings the settings */
    public EvolutionSearch(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void check(SearchSpace space, Task task) {
        Candidates.checkFeasible(space, task, settings.constraints());
    }

    @Override
    public SearchResult search(SearchSpace space, SearchContext context) {
        check(space, context.task());
        Constraints constraints = settings.constraints();
        Random random = context.random();
        MutationRates rates = new MutationRates(settings.mutationProbability(), settings.structureProbability());
        Set<Architecture> visited = new HashSet<>();
        List<Trial> evaluated = new ArrayList<>();
        try (Progress.Tracker tracker = context.progress().start("evolution", settings.generations() + 1L, "generation")) {
            List<Architecture> generation = new ArrayList<>();
            fill(generation, space, context, visited, random);
            evaluated.addAll(context.evaluateAll(generation));
            tracker.advance(1, summary(0, evaluated, context));
            for (int g = 1; g <= settings.generations() && !context.budget().exhausted(); g++) {
                List<Trial> top = top(evaluated, context.objectives());
                if (top.isEmpty()) {
                    context.progress().note("evolution: no candidate succeeded yet; generation " + g + " is random");
                }
                generation = new ArrayList<>();
                if (!top.isEmpty()) {
                    breed(settings.mutations(), () -> space.mutate(pick(top, random), random, rates), context, visited, generation,
                            constraints);
                    breed(settings.crossovers(), () -> cross(space, top, random).orElse(null), context, visited, generation, constraints);
                }
                fill(generation, space, context, visited, random);
                // A generation is one batch: the executor may evaluate its members side by side.
                evaluated.addAll(context.evaluateAll(generation));
                tracker.advance(1, summary(g, evaluated, context));
            }
        }
        return context.result();
    }

    /** Tops a generation up to the population size with random members (the official get_random). */
    private void fill(List<Architecture> generation, SearchSpace space, SearchContext context, Set<Architecture> visited,
            Random random) {
        int misses = 0;
        while (generation.size() < settings.population() && misses < 100 * settings.population()) {
            Architecture candidate = Candidates.sample(space, random, context, settings.constraints());
            if (!visited.add(candidate)) {
                misses++;
                continue;
            }
            generation.add(candidate);
        }
    }

    private void breed(int wanted, Supplier<Architecture> draw, SearchContext context, Set<Architecture> visited,
            List<Architecture> generation, Constraints constraints) {
        int made = 0;
        for (int attempt = 0; attempt < 10 * wanted && made < wanted; attempt++) {
            Architecture child = draw.get();
            if (child == null || !constraints.admits(context.complexity(child)) || !visited.add(child)) {
                continue;
            }
            generation.add(child);
            made++;
        }
    }

    private List<Trial> top(List<Trial> evaluated, List<Objective> objectives) {
        Objective first = objectives.get(0);
        List<Trial> ok = evaluated.stream().filter(t -> t.ok() && !Double.isNaN(t.metricOrNaN(first.metric()))).toList();
        Comparator<Trial> byFirst = Comparator.comparingDouble(t -> t.metricOrNaN(first.metric()));
        if (first.maximize()) {
            byFirst = byFirst.reversed();
        }
        Comparator<Trial> order = byFirst;
        if (settings.selection() == Selection.PARETO) {
            Map<Trial, Integer> rank = Pareto.ranks(ok, objectives);
            order = Comparator.comparingInt((Trial t) -> rank.get(t)).thenComparing(byFirst);
        }
        return ok.stream().sorted(order).limit(settings.parents()).toList();
    }

    private static Architecture pick(List<Trial> top, Random random) {
        return top.get(random.nextInt(top.size())).architecture();
    }

    private static Optional<Architecture> cross(SearchSpace space, List<Trial> top, Random random) {
        for (int attempt = 0; attempt < CROSSOVER_PARENT_ATTEMPTS; attempt++) {
            Optional<Architecture> child = space.crossover(pick(top, random), pick(top, random), random);
            if (child.isPresent()) {
                return child;
            }
        }
        return Optional.empty();
    }

    private static String summary(int generation, List<Trial> evaluated, SearchContext context) {
        Objective first = context.objectives().get(0);
        String best = context.result().best().map(t -> String.format(Locale.ROOT, "%.4f", t.metricOrNaN(first.metric()))).orElse("none");
        return String.format(Locale.ROOT, "generation %d, %d evaluated, best %s %s", generation, evaluated.size(),
                first.metric().equals(Metrics.ACCURACY) ? "acc" : first.metric(), best);
    }
}

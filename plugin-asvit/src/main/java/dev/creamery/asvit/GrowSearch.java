package dev.creamery.asvit;

import dev.creamery.api.Architecture;
import dev.creamery.api.BudgetExhaustedException;
import dev.creamery.api.Complexity;
import dev.creamery.api.Evaluation;
import dev.creamery.api.Metrics;
import dev.creamery.api.SearchContext;
import dev.creamery.api.SearchResult;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.SearchStrategy;
import dev.creamery.api.Trial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The As-ViT scaling rule of search/grow.py. Starting from a seed topology (found by the
 * {@code seed} strategy, or given), each step considers every candidate that adds layers to
 * stages and grows the width by one of the ratios, measures each candidate (at its measurement
 * width, through the context's evaluator), drops those whose full-size member exceeds the limits,
 * and keeps the one the {@link GrowthRule} picks. Every kept step is a member of the series; the
 * series ends with the first member that reaches the target.
 *
 * <p>The result's trials are everything measured (the seed search's trials, then every candidate at
 * measurement width). Its Pareto front is the series itself, smallest first, each member a trial
 * whose architecture is the full-size topology (layers and hidden size), with the metrics of its
 * measured candidate and its own parameters and FLOPs; its best is the last member.
 */
public final class GrowSearch implements SearchStrategy {
    private final GrowSettings settings;

    /** @param settings the settings */
    public GrowSearch(GrowSettings settings) {
        this.settings = settings;
    }

    @Override
    public SearchResult search(SearchSpace space, SearchContext context) {
        return grow(space, context).result();
    }

    /**
     * @param space the As-ViT space
     * @param context the search context
     * @return the series and the result
     * @throws IllegalArgumentException if the space is not As-ViT's or the target is not above the seed
     */
    public Growth grow(SearchSpace space, SearchContext context) {
        if (!(space instanceof AsVitSpace)) {
            throw new IllegalArgumentException("grow scales As-ViT topologies; the job's space is " + space
                    + ", use space { type = asvit }");
        }
        Topology seed = seedTopology(space, context);
        int[] seedLayers = seed.layers();
        int[] depth = new int[Topology.STAGES];
        for (int s = 0; s < Topology.STAGES; s++) {
            if (seedLayers[s] % settings.depthScale() != 0) {
                throw new IllegalArgumentException("the seed's layers " + Arrays.toString(seedLayers) + " are not multiples of depth-scale "
                        + settings.depthScale());
            }
            depth[s] = seedLayers[s] / settings.depthScale();
        }
        if (seed.hiddenSize() % settings.widthScale() != 0) {
            throw new IllegalArgumentException("the seed's hidden size " + seed.hiddenSize() + " is not a multiple of width-scale "
                    + settings.widthScale());
        }
        int width = seed.hiddenSize() / settings.widthScale();
        Complexity start = context.complexity(seed.withScale(seedLayers, seed.hiddenSize()).toArchitecture());
        checkTarget(seed, start);
        List<Trial> series = new ArrayList<>();
        int step = 0;
        while (true) {
            step++;
            List<GrowthRule.Choice> choices = GrowthRule.candidates(depth, width, GrowthRule.depthChoices(depth, settings.depthGrowth()),
                    GrowthRule.widthChoices(width, settings.widthGrowth()));
            List<GrowthRule.Choice> kept = new ArrayList<>();
            List<Trial> measured = new ArrayList<>();
            List<Complexity> sizes = new ArrayList<>();
            try {
                for (GrowthRule.Choice choice : choices) {
                    Complexity size = context.complexity(member(seed, choice).toArchitecture());
                    if (overLimit(size)) {
                        continue;
                    }
                    Trial trial = context.evaluate(seed.withScale(choice.depth(), choice.width()).toArchitecture());
                    if (!trial.ok()) {
                        context.progress().note("grow step " + step + ": candidate " + choice + " skipped, " + trial.message());
                        continue;
                    }
                    kept.add(choice);
                    measured.add(trial);
                    sizes.add(size);
                }
            } catch (BudgetExhaustedException e) {
                context.progress().note("grow stopped in step " + step + ": " + e.getMessage());
                break;
            }
            if (kept.isEmpty()) {
                context.progress().note("grow stopped in step " + step + ": every candidate is over the limits or failed");
                break;
            }
            int best = GrowthRule.choose(measured.stream().map(t -> t.evaluation().metrics()).toList(), settings.goals());
            GrowthRule.Choice chosen = kept.get(best);
            depth = chosen.depth();
            width = chosen.width();
            Complexity size = sizes.get(best);
            Topology grown = member(seed, chosen);
            Map<String, Double> metrics = new LinkedHashMap<>(measured.get(best).evaluation().metrics());
            metrics.put(Metrics.PARAMS, (double) size.params());
            metrics.put(Metrics.FLOPS, (double) size.flops());
            series.add(new Trial(measured.get(best).number(), grown.toArchitecture(), size, Trial.Status.OK,
                    new Evaluation(metrics, measured.get(best).evaluation().costSeconds()), null));
            context.progress().note("grow step " + step + ": " + grown.format() + " (" + size + ")");
            if (reached(size)) {
                break;
            }
        }
        SearchResult result = new SearchResult(context.trials(), series.isEmpty() ? Optional.empty() : Optional.of(series.get(series.size() - 1)),
                series);
        return new Growth(seed, series, result);
    }

    private Topology seedTopology(SearchSpace space, SearchContext context) {
        if (!settings.topology().isEmpty()) {
            Topology given = Topology.parse(settings.topology());
            space.validate(given.toArchitecture());
            return given;
        }
        Architecture found;
        if (settings.seed() instanceof ReinforceSearch reinforce) {
            found = reinforce.run(space, context).derived();
        } else {
            found = settings.seed().search(space, context).best()
                    .orElseThrow(() -> new IllegalStateException("the seed search evaluated no architecture successfully; nothing to grow"))
                    .architecture();
        }
        context.progress().note("grow starts from the seed " + space.format(found));
        return Topology.of(found);
    }

    private Topology member(Topology seed, GrowthRule.Choice choice) {
        int[] layers = choice.depth().clone();
        for (int s = 0; s < layers.length; s++) {
            layers[s] *= settings.depthScale();
        }
        return seed.withScale(layers, choice.width() * settings.widthScale());
    }

    private void checkTarget(Topology seed, Complexity start) {
        if (settings.targetParams() > 0 && start.params() >= settings.targetParams()) {
            throw new IllegalArgumentException("the scaling target of " + Complexity.human(settings.targetParams())
                    + " params is not above the seed " + seed.format() + " with " + Complexity.human(start.params())
                    + " params; raise target-params");
        }
        if (settings.targetFlops() > 0 && start.flops() >= settings.targetFlops()) {
            throw new IllegalArgumentException("the scaling target of " + Complexity.human(settings.targetFlops())
                    + " FLOPs is not above the seed " + seed.format() + " with " + Complexity.human(start.flops())
                    + " FLOPs; raise target-flops");
        }
    }

    private boolean overLimit(Complexity size) {
        return settings.maxParams() > 0 && size.params() > settings.maxParams()
                || settings.maxFlops() > 0 && size.flops() > settings.maxFlops();
    }

    private boolean reached(Complexity size) {
        return settings.targetParams() > 0 && size.params() >= settings.targetParams()
                || settings.targetFlops() > 0 && size.flops() >= settings.targetFlops();
    }

    /**
     * What a growth run produced.
     *
     * @param seed the topology growth started from
     * @param series the grown members, smallest first
     * @param result the trials, the last member as best, the series as front
     */
    public record Growth(Topology seed, List<Trial> series, SearchResult result) {}

    @Override
    public String toString() {
        return "grow " + settings;
    }
}

package dev.creamery.asvit;

import dev.creamery.api.Architecture;
import dev.creamery.api.BudgetExhaustedException;
import dev.creamery.api.Dimension;
import dev.creamery.api.Progress;
import dev.creamery.api.SearchContext;
import dev.creamery.api.SearchResult;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.SearchStrategy;
import dev.creamery.api.Trial;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The REINFORCE topology search of search/reinforce.py, for any space whose dimensions are plain
 * choices: each step samples one candidate per dimension from the policy, evaluates the
 * architecture, turns its metrics into a reward ({@link RelativeChangeReward}), updates the
 * moving-average baseline with it and takes one Adam step on {@code -log p * (reward - baseline)}.
 * At the end the policy's most probable architecture is derived (and evaluated, so it is journaled).
 *
 * <p>Repeated architectures come back from the context's cache at no cost but still update the
 * policy, as in the official loop. The search stops early when the trial budget is used up.
 */
public final class ReinforceSearch implements SearchStrategy {
    private final ReinforceSettings settings;

    /** @param settings the settings */
    public ReinforceSearch(ReinforceSettings settings) {
        this.settings = settings;
    }

    @Override
    public SearchResult search(SearchSpace space, SearchContext context) {
        return run(space, context).result();
    }

    /**
     * @param space a space of plain choices
     * @param context the search context
     * @return the result, the derived architecture and the final policy
     * @throws IllegalArgumentException if a dimension is per-layer
     */
    public Outcome run(SearchSpace space, SearchContext context) {
        List<Dimension> dimensions = space.dimensions();
        int[] sizes = new int[dimensions.size()];
        for (int d = 0; d < sizes.length; d++) {
            Dimension dimension = dimensions.get(d);
            if (dimension.isPerLayer()) {
                throw new IllegalArgumentException("reinforce learns one categorical choice per dimension, but dimension '"
                        + dimension.name() + "' of " + space + " is per-layer (" + dimension + "); use a strategy such as evolution for this space");
            }
            sizes[d] = dimension.candidates().size();
        }
        CategoricalPolicy policy = new CategoricalPolicy(sizes, settings.initScale(), settings.learningRate(), context.random());
        RelativeChangeReward reward = new RelativeChangeReward(settings.goals(), RelativeChangeReward.mode(settings.rewardMode()),
                settings.bufferSize());
        ExponentialMovingAverage baseline = new ExponentialMovingAverage(settings.emaMomentum());
        try (Progress.Tracker tracker = context.progress().start("reinforce", settings.steps(), "step")) {
            for (int step = 0; step < settings.steps(); step += settings.batch()) {
                List<int[]> actions = new ArrayList<>();
                List<Architecture> batch = new ArrayList<>();
                for (int i = 0; i < Math.min(settings.batch(), settings.steps() - step); i++) {
                    actions.add(policy.sample(context.random()));
                    batch.add(architecture(dimensions, actions.get(i)));
                }
                List<Trial> trials = context.evaluateAll(batch);
                for (int i = 0; i < trials.size(); i++) {
                    Trial trial = trials.get(i);
                    Double r = reward.next(trial.ok() ? trial.evaluation().metrics() : null);
                    if (r == null) {
                        tracker.advance(1, "no reward yet (trial " + trial.status() + ")");
                        continue;
                    }
                    baseline.update(r);
                    policy.update(actions.get(i), r - baseline.value());
                    tracker.advance(1, String.format(Locale.ROOT, "reward %.3f entropy %.2f", r, policy.entropy()));
                    tracker.record("entropy", policy.entropy());
                }
                if (trials.size() < batch.size()) {
                    context.progress().note("reinforce stopped after " + (step + trials.size()) + " steps: the search budget is used up");
                    break;
                }
            }
        }
        Architecture derived = architecture(dimensions, policy.mode());
        try {
            context.evaluate(derived);
        } catch (BudgetExhaustedException e) {
            context.progress().note("the derived architecture was not evaluated: " + e.getMessage());
        }
        context.progress().note("reinforce derived " + space.format(derived));
        double[][] probabilities = new double[sizes.length][];
        for (int d = 0; d < sizes.length; d++) {
            probabilities[d] = policy.probabilities(d);
        }
        return new Outcome(context.result(), derived, probabilities);
    }

    private static Architecture architecture(List<Dimension> dimensions, int[] actions) {
        Architecture.Builder builder = Architecture.builder();
        for (int d = 0; d < actions.length; d++) {
            builder.put(dimensions.get(d).name(), dimensions.get(d).candidates().get(actions[d]));
        }
        return builder.build();
    }

    /**
     * What a REINFORCE run found.
     *
     * @param result the trials, best and Pareto front by the job's objectives
     * @param derived the policy's most probable architecture (the official search's answer)
     * @param probabilities the final policy, per dimension in the space's order
     */
    public record Outcome(SearchResult result, Architecture derived, double[][] probabilities) {}

    @Override
    public String toString() {
        return "reinforce " + settings;
    }
}

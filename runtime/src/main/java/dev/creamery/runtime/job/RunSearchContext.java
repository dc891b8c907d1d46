package dev.creamery.runtime.job;

import dev.creamery.api.Architecture;
import dev.creamery.api.Budget;
import dev.creamery.api.BudgetExhaustedException;
import dev.creamery.api.Complexity;
import dev.creamery.api.Evaluation;
import dev.creamery.api.EvaluationContext;
import dev.creamery.api.Evaluator;
import dev.creamery.api.Metrics;
import dev.creamery.api.Objective;
import dev.creamery.api.Progress;
import dev.creamery.api.RejectedArchitectureException;
import dev.creamery.api.SearchContext;
import dev.creamery.api.SearchResult;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.Task;
import dev.creamery.api.Trial;
import dev.creamery.api.TrialFailedException;
import dev.creamery.runtime.train.Seeds;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The {@link SearchContext} of a run: evaluates through the job's evaluator, journals every trial,
 * answers repeated architectures (and those recorded before a resume) from the journal, and keeps
 * the budget.
 */
public final class RunSearchContext implements SearchContext {
    /** Best by validation accuracy; the Pareto front trades accuracy against parameters. */
    static final List<Objective> PARETO = List.of(Objective.ACCURACY, Objective.minimize(Metrics.PARAMS));

    private final SearchSpace space;
    private final Evaluator evaluator;
    private final EvaluationContext evaluation;
    private final Journal journal;
    private final Random random;
    private final Progress progress;
    private final int maxTrials;
    private final long deadline;
    private final String phase;
    private final long seed;
    private final Map<Architecture, Trial> known = new HashMap<>();

    /**
     * @param space the space being searched
     * @param evaluator the prepared evaluator
     * @param evaluation the evaluator's context
     * @param journal the run's journal (its trials are answered without evaluation)
     * @param seed the job seed
     * @param maxTrials the trial budget (0: unlimited)
     * @param maxTime the wall-time budget of this search (zero: unlimited)
     */
    public RunSearchContext(SearchSpace space, Evaluator evaluator, EvaluationContext evaluation, Journal journal, long seed,
            int maxTrials, Duration maxTime) {
        this(space, evaluator, evaluation, journal, seed, maxTrials,
                maxTime.isZero() ? Long.MAX_VALUE : System.nanoTime() + maxTime.toNanos(), Journal.MAIN);
    }

    private RunSearchContext(SearchSpace space, Evaluator evaluator, EvaluationContext evaluation, Journal journal, long seed,
            int maxTrials, long deadline, String phase) {
        this.space = space;
        this.evaluator = evaluator;
        this.evaluation = evaluation;
        this.journal = journal;
        this.seed = seed;
        this.random = new Random(phase.equals(Journal.MAIN) ? Seeds.mix(seed, "strategy") : Seeds.mix(seed, "strategy:" + phase));
        this.progress = evaluation.progress();
        this.maxTrials = maxTrials;
        this.deadline = deadline;
        this.phase = phase;
        for (Trial trial : journal.trials(phase)) {
            known.put(trial.architecture(), trial);
        }
    }

    @Override
    public SearchContext phase(String name, SearchSpace phaseSpace) {
        if (name.isBlank() || !name.equals(name.trim())) {
            throw new IllegalArgumentException("a phase needs a name without surrounding spaces, got '" + name + "'");
        }
        String qualified = phase.equals(Journal.MAIN) ? name : phase + "/" + name;
        progress.note("phase " + qualified + ": " + journal.trials(qualified).size() + " trial(s) already recorded");
        evaluator.prepare(phaseSpace, evaluation);
        return new RunSearchContext(phaseSpace, evaluator, evaluation, journal, seed, maxTrials, deadline, qualified);
    }

    @Override
    public Task task() {
        return evaluation.task();
    }

    @Override
    public Random random() {
        return random;
    }

    @Override
    public Budget budget() {
        return new Budget() {
            @Override
            public int trialsUsed() {
                return journal.trials().size();
            }

            @Override
            public int maxTrials() {
                return maxTrials == 0 ? Integer.MAX_VALUE : maxTrials;
            }

            @Override
            public boolean exhausted() {
                return trialsUsed() >= maxTrials() || System.nanoTime() > deadline;
            }
        };
    }

    @Override
    public Progress progress() {
        return progress;
    }

    @Override
    public Complexity complexity(Architecture architecture) {
        return space.complexity(architecture, task());
    }

    @Override
    public Trial evaluate(Architecture architecture) {
        Trial previous = known.get(architecture);
        if (previous != null) {
            return previous;
        }
        space.validate(architecture);
        if (budget().exhausted()) {
            throw new BudgetExhaustedException("the search budget is used up (" + budget().trialsUsed() + " trials)");
        }
        Complexity complexity = complexity(architecture);
        int number = journal.trials().size();
        Trial trial;
        try {
            Evaluation result = evaluator.evaluate(architecture, evaluation)
                    .with(Metrics.PARAMS, complexity.params())
                    .with(Metrics.FLOPS, complexity.flops());
            trial = new Trial(number, architecture, complexity, Trial.Status.OK, result, null);
        } catch (RejectedArchitectureException e) {
            Trial rejected = new Trial(-1, architecture, complexity, Trial.Status.REJECTED, null, e.getMessage());
            known.put(architecture, rejected);
            return rejected;
        } catch (TrialFailedException e) {
            trial = new Trial(number, architecture, complexity, Trial.Status.FAILED, null, e.getMessage());
        }
        journal.append(phase, trial);
        known.put(architecture, trial);
        report(trial);
        return trial;
    }

    private void report(Trial trial) {
        var best = result().best();
        String bestText = best.map(t -> String.format(Locale.ROOT, "%.4f (trial %d)", t.metricOrNaN(Metrics.ACCURACY), t.number()))
                .orElse("none yet");
        String outcome = trial.ok()
                ? String.format(Locale.ROOT, "%s, %s params, %s FLOPs, %.1fs", measured(trial),
                        Complexity.human(trial.complexity().params()), Complexity.human(trial.complexity().flops()),
                        trial.evaluation().costSeconds())
                : "failed: " + trial.message();
        progress.note((phase.equals(Journal.MAIN) ? "" : phase + " ") + "trial " + trial.number() + ": " + outcome + " | best "
                + bestText);
    }

    /** The accuracy, or every metric of an evaluator that measures something else (e.g. training-free measures). */
    private static String measured(Trial trial) {
        var metrics = trial.evaluation().metrics();
        if (metrics.containsKey(Metrics.ACCURACY)) {
            return String.format(Locale.ROOT, "acc %.4f", metrics.get(Metrics.ACCURACY));
        }
        return metrics.entrySet().stream().filter(e -> !e.getKey().equals(Metrics.PARAMS) && !e.getKey().equals(Metrics.FLOPS))
                .map(e -> String.format(Locale.ROOT, "%s %.4g", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    @Override
    public List<Trial> trials() {
        return journal.trials(phase);
    }

    @Override
    public SearchResult result() {
        return SearchResult.of(journal.trials(phase), Objective.ACCURACY, PARETO);
    }
}

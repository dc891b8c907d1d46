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
import dev.creamery.api.Proposals;
import dev.creamery.api.RejectedArchitectureException;
import dev.creamery.api.SearchContext;
import dev.creamery.api.SearchResult;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.Task;
import dev.creamery.api.Trial;
import dev.creamery.api.TrialExecutor;
import dev.creamery.api.TrialFailedException;
import dev.creamery.runtime.io.Journal;
import dev.creamery.runtime.train.Seeds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The {@link SearchContext} of a run: evaluates through the job's evaluator, journals every trial,
 * answers repeated architectures (and those recorded before a resume) from the journal, and keeps
 * the budget.
 */
public final class RunSearchContext implements SearchContext {
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
    private final List<Objective> objectives;
    private final TrialExecutor executor;
    private final RemoteTrials remote;
    private final Latency latency;
    private final Supplier<EvaluationContext> training;
    private final Map<Architecture, Trial> known = new HashMap<>();

    /**
     * @param space the space being searched
     * @param evaluator the prepared evaluator
     * @param evaluation the evaluator's context
     * @param journal the run's journal (its trials are answered without evaluation)
     * @param seed the job seed
     * @param maxTrials the trial budget (0: unlimited)
     * @param maxTime the wall-time budget of this search (zero: unlimited)
     * @param objectives the job's objectives
     * @param executor runs batches of evaluations
     * @param remote the evaluations as other JVMs rebuild them, or null if they cannot (then every
     *     executor runs them in this process)
     * @param training the strategy's own training context, made when a strategy first asks for it
     */
    public RunSearchContext(SearchSpace space, Evaluator evaluator, EvaluationContext evaluation, Journal journal, long seed,
            int maxTrials, Duration maxTime, List<Objective> objectives, TrialExecutor executor, RemoteTrials remote,
            Supplier<EvaluationContext> training) {
        this(space, evaluator, evaluation, journal, seed, maxTrials,
                maxTime.isZero() ? Long.MAX_VALUE : System.nanoTime() + maxTime.toNanos(), Journal.MAIN, objectives, executor, remote,
                Latency.of(objectives, evaluation), memoized(training));
    }

    private RunSearchContext(SearchSpace space, Evaluator evaluator, EvaluationContext evaluation, Journal journal, long seed,
            int maxTrials, long deadline, String phase, List<Objective> objectives, TrialExecutor executor, RemoteTrials remote,
            Latency latency, Supplier<EvaluationContext> training) {
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
        this.objectives = List.copyOf(objectives);
        this.executor = executor;
        this.remote = remote;
        this.latency = latency;
        this.training = training;
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
        return new RunSearchContext(phaseSpace, evaluator, evaluation, journal, seed, maxTrials, deadline, qualified, objectives, executor,
                remote == null ? null : remote.phase(phaseSpace), latency, training);
    }

    private static Supplier<EvaluationContext> memoized(Supplier<EvaluationContext> supplier) {
        EvaluationContext[] made = new EvaluationContext[1];
        return () -> {
            if (made[0] == null) {
                made[0] = supplier.get();
            }
            return made[0];
        };
    }

    @Override
    public EvaluationContext trainingContext() {
        return training.get();
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
    public List<Architecture> proposals() {
        return evaluator instanceof Proposals proposing ? proposing.proposals() : List.of();
    }

    @Override
    public Complexity complexity(Architecture architecture) {
        return space.complexity(architecture, task());
    }

    @Override
    public Trial evaluate(Architecture architecture) {
        List<Trial> trials = evaluateAll(List.of(architecture));
        if (trials.isEmpty()) {
            throw new BudgetExhaustedException("the search budget is used up (" + budget().trialsUsed() + " trials)");
        }
        return trials.get(0);
    }

    /**
     * Answers recorded architectures from the journal and hands the rest to the executor; each
     * outcome is journaled as it comes back, before the next is taken, so a stopped run keeps it.
     */
    @Override
    public List<Trial> evaluateAll(List<Architecture> architectures) {
        List<Architecture> fresh = new ArrayList<>();
        for (Architecture architecture : architectures) {
            if (!known.containsKey(architecture) && !fresh.contains(architecture)) {
                space.validate(architecture);
                fresh.add(architecture);
            }
        }
        if (!fresh.isEmpty()) {
            executor.run(fresh, work(), this::record);
        }
        List<Trial> trials = new ArrayList<>(architectures.size());
        for (Architecture architecture : architectures) {
            Trial trial = known.get(architecture);
            if (trial == null) {
                break;
            }
            trials.add(trial);
        }
        return trials;
    }

    private TrialExecutor.Work work() {
        return new TrialExecutor.Work() {
            @Override
            public TrialExecutor.Outcome evaluate(Architecture architecture) {
                return budget().exhausted() ? null : measure(space, evaluator, evaluation, latency, architecture);
            }

            @Override
            public int remaining() {
                return System.nanoTime() > deadline ? 0 : Math.max(0, budget().maxTrials() - budget().trialsUsed());
            }

            @Override
            public Optional<TrialExecutor.Remote> remote() {
                return Optional.ofNullable(remote);
            }

            @Override
            public Progress progress() {
                return progress;
            }
        };
    }

    /**
     * Evaluates one architecture in this process, the same way wherever that process runs (the
     * driver, or a worker that rebuilt the job): metrics with params and FLOPs (and latency when an
     * objective names it); a refused or failed evaluation is an outcome, not an exception.
     */
    static TrialExecutor.Outcome measure(SearchSpace space, Evaluator evaluator, EvaluationContext evaluation, Latency latency,
            Architecture architecture) {
        Complexity complexity = space.complexity(architecture, evaluation.task());
        try {
            Evaluation result = evaluator.evaluate(architecture, evaluation)
                    .with(Metrics.PARAMS, complexity.params())
                    .with(Metrics.FLOPS, complexity.flops());
            if (latency != null) {
                result = result.with(Metrics.LATENCY_MS, latency.milliseconds(space, architecture));
            }
            return new TrialExecutor.Outcome(architecture, result, false, null);
        } catch (RejectedArchitectureException e) {
            return new TrialExecutor.Outcome(architecture, null, true, e.getMessage());
        } catch (TrialFailedException e) {
            return new TrialExecutor.Outcome(architecture, null, false, e.getMessage());
        }
    }

    private void record(TrialExecutor.Outcome outcome) {
        Complexity complexity = complexity(outcome.architecture());
        if (outcome.rejected()) {
            known.put(outcome.architecture(), new Trial(-1, outcome.architecture(), complexity, Trial.Status.REJECTED, null,
                    outcome.message()));
            return;
        }
        Trial trial = outcome.evaluation() != null
                ? new Trial(journal.trials().size(), outcome.architecture(), complexity, Trial.Status.OK, outcome.evaluation(), null)
                : new Trial(journal.trials().size(), outcome.architecture(), complexity, Trial.Status.FAILED, null, outcome.message());
        journal.append(phase, trial);
        known.put(outcome.architecture(), trial);
        report(trial);
    }

    private void report(Trial trial) {
        var best = result().best();
        String primary = objectives.get(0).metric();
        String bestText = best.map(t -> String.format(Locale.ROOT, "%s%.4f (trial %d)", primary.equals(Metrics.ACCURACY) ? "" : primary + " ",
                t.metricOrNaN(primary), t.number())).orElse("none yet");
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
    public List<Objective> objectives() {
        return objectives;
    }

    @Override
    public SearchResult result() {
        return SearchResult.of(journal.trials(phase), objectives.get(0), objectives);
    }
}

package dev.creamery.testkit;

import dev.creamery.api.Architecture;
import dev.creamery.api.Budget;
import dev.creamery.api.BudgetExhaustedException;
import dev.creamery.api.Complexity;
import dev.creamery.api.Evaluation;
import dev.creamery.api.EvaluationContext;
import dev.creamery.api.Metrics;
import dev.creamery.api.Objective;
import dev.creamery.api.Progress;
import dev.creamery.api.SearchContext;
import dev.creamery.api.SearchResult;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.Task;
import dev.creamery.api.Trial;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * An in-memory {@link SearchContext} for strategy tests: "evaluates" with a scoring function,
 * caches by canonical form like the runtime's journal, and enforces a trial budget that its phases
 * share, as the runtime's does.
 */
public final class ToySearchContext implements SearchContext {
    private final SearchSpace space;
    private final Task task;
    private final Random random;
    private final int maxTrials;
    private final ToDoubleFunction<Architecture> score;
    private final Map<Architecture, Trial> trials = new LinkedHashMap<>();
    private final List<Architecture> requests = new ArrayList<>();
    /** Trials evaluated by this context and all its phases: the budget and the trial numbers. */
    private final int[] used;
    private final RecordingProgress progress;

    /**
     * @param space the space being searched (for complexity)
     * @param task the task
     * @param seed the random seed
     * @param maxTrials the trial budget
     * @param score the stand-in for validation accuracy
     */
    public ToySearchContext(SearchSpace space, Task task, long seed, int maxTrials, ToDoubleFunction<Architecture> score) {
        this(space, task, seed, maxTrials, score, new int[1], new RecordingProgress());
    }

    private ToySearchContext(SearchSpace space, Task task, long seed, int maxTrials, ToDoubleFunction<Architecture> score, int[] used,
            RecordingProgress progress) {
        this.space = space;
        this.task = task;
        this.random = new Random(seed);
        this.maxTrials = maxTrials;
        this.score = score;
        this.used = used;
        this.progress = progress;
    }

    @Override
    public Task task() {
        return task;
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
                return used[0];
            }

            @Override
            public int maxTrials() {
                return maxTrials;
            }

            @Override
            public boolean exhausted() {
                return used[0] >= maxTrials;
            }
        };
    }

    @Override
    public Progress progress() {
        return progress;
    }

    /** @return the notes of this context and of its phases, in order */
    public List<String> notes() {
        return progress.notes();
    }

    @Override
    public Complexity complexity(Architecture architecture) {
        return space.complexity(architecture, task);
    }

    @Override
    public Trial evaluate(Architecture architecture) {
        space.validate(architecture);
        requests.add(architecture);
        Trial known = trials.get(architecture);
        if (known != null) {
            return known;
        }
        if (budget().exhausted()) {
            throw new BudgetExhaustedException("trial budget of " + maxTrials + " used up");
        }
        Complexity complexity = complexity(architecture);
        Evaluation evaluation = new Evaluation(Map.of(Metrics.ACCURACY, score.applyAsDouble(architecture),
                Metrics.PARAMS, (double) complexity.params()), 0);
        Trial trial = new Trial(used[0]++, architecture, complexity, Trial.Status.OK, evaluation, null);
        trials.put(architecture, trial);
        return trial;
    }

    @Override
    public List<Trial> trials() {
        return List.copyOf(trials.values());
    }

    /** @return accuracy up, then parameters down: the runtime's default objectives */
    @Override
    public List<Objective> objectives() {
        return List.of(Objective.ACCURACY, Objective.minimize(Metrics.PARAMS));
    }

    @Override
    public SearchResult result() {
        return SearchResult.of(trials(), objectives().get(0), objectives());
    }

    /** A toy context has no data: strategies that train (differentiable searches) are tested through a job. */
    @Override
    public EvaluationContext trainingContext() {
        throw new UnsupportedOperationException("a toy search context has no data to train on; test a strategy that trains "
                + "through a job on synthetic data");
    }

    /**
     * A phase over another space: the same scoring, its own trials and a random source drawn from
     * this context's, the same budget and notes.
     */
    @Override
    public SearchContext phase(String name, SearchSpace phaseSpace) {
        return new ToySearchContext(phaseSpace, task, random.nextLong(), maxTrials, score, used, progress);
    }

    /** @return every architecture the strategy asked to evaluate, repeats included, in order */
    public List<Architecture> requests() {
        return List.copyOf(requests);
    }
}

package dev.creamery.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What a {@link SearchStrategy} gets from the runtime: evaluation with journaling and caching, the
 * budget, a seeded random source, progress reporting.
 *
 * <p>Evaluations are cached by the architecture's canonical form, and the cache is the run's
 * journal: when a killed run resumes, the strategy runs again from the start with the same seed and
 * every architecture it evaluated before comes back from the journal at once. Strategies therefore
 * must draw all randomness from {@link #random()} and decide only from evaluation results.
 */
public interface SearchContext {
    /** @return the input shape and classes the space's networks are built for */
    Task task();

    /** @return the strategy's random source, seeded from the job */
    Random random();

    /** @return what the search may still spend */
    Budget budget();

    /** @return where to report progress */
    Progress progress();

    /**
     * What a strategy that trains networks itself needs: a differentiable search (DARTS, CDARTS)
     * trains its relaxed network, reads the architecture off its architecture parameters, and hands
     * only that architecture to {@link #evaluate}. The job's data, device and shared loop, random
     * sources derived from the job's seed, and a folder of the strategy's own for the checkpoints
     * that let a killed search resume where it stopped.
     *
     * @return the strategy's training context
     */
    EvaluationContext trainingContext();

    /**
     * @param architecture a member of the space
     * @return its parameters and FLOPs (analytic, cheap)
     */
    Complexity complexity(Architecture architecture);

    /**
     * Evaluates an architecture, or returns the trial already recorded for it.
     *
     * @param architecture a member of the space
     * @return the trial: evaluated, failed, or rejected by constraints
     * @throws BudgetExhaustedException if a new evaluation is needed but the budget is used up
     */
    Trial evaluate(Architecture architecture);

    /**
     * Evaluates a batch of architectures — a generation of an evolution, a batch of a policy — or
     * returns the trials recorded for them. The runtime may evaluate them in parallel (an executor);
     * each new trial is journaled once, in the order given, so a resumed run answers the same batch
     * the same way. Repeats within the batch are evaluated once.
     *
     * @param architectures members of the space
     * @return their trials in the order given; shorter than the batch if the budget ran out partway
     *     (never empty for a non-empty batch unless the budget was used up before it)
     */
    default List<Trial> evaluateAll(List<Architecture> architectures) {
        List<Trial> trials = new ArrayList<>(architectures.size());
        for (Architecture architecture : architectures) {
            try {
                trials.add(evaluate(architecture));
            } catch (BudgetExhaustedException e) {
                break;
            }
        }
        return trials;
    }

    /**
     * @return the job's objectives: the first decides the best trial, all of them the Pareto front;
     *     strategies that rank candidates rank by them
     */
    List<Objective> objectives();

    /**
     * @return the members the prepared evaluator proposes ({@link Proposals}), most promising first;
     *     empty if it proposes none
     */
    default List<Architecture> proposals() {
        return List.of();
    }

    /** @return the trials so far (evaluated and failed), in order */
    List<Trial> trials();

    /** @return the best trial and Pareto front of the trials so far, by the job's objectives */
    SearchResult result();

    /**
     * Starts a phase of the search over another space, usually a {@link Subspace} of this one (S3
     * evolves the space step by step, then searches inside the last one). The evaluator is prepared
     * again for that space before the phase answers anything (a one-shot evaluator continues training
     * its supernet, sampling from the new space), and the phase journals and caches its own trials:
     * an architecture is evaluated anew in each phase, and a resumed run replays each phase from the
     * journal. The budget is shared with the whole search.
     *
     * @param name the phase's name, unique within the search (it keys the journal)
     * @param space the space of the phase
     * @return the phase's context; its {@link #trials()} and {@link #result()} cover the phase only
     */
    SearchContext phase(String name, SearchSpace space);
}

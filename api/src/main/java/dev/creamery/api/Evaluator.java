package dev.creamery.api;

/**
 * Scores architectures. {@link #prepare} does one-off work (training a supernet, fetching a proxy
 * batch); {@link #evaluate} scores one architecture and should be repeatable: the same architecture
 * under the same job seed gives the same metrics.
 *
 * <p>Evaluators compose: a wrapper (such as {@code constraints}) takes another evaluator in its
 * settings and delegates to it.
 */
public interface Evaluator {
    /**
     * Does one-off work before the search. Called once per run, also when a run resumes (work
     * that was checkpointed must be resumed, not redone).
     *
     * @param space the space whose members will be evaluated
     * @param context data, device, training
     */
    default void prepare(SearchSpace space, EvaluationContext context) {}

    /**
     * @param architecture a member of the prepared space
     * @param context data, device, training
     * @return the metrics; at least {@link Metrics#ACCURACY} for accuracy-ranked searches
     * @throws TrialFailedException if no result can be had (e.g. the loss became NaN)
     * @throws RejectedArchitectureException if the architecture is refused before any work
     */
    Evaluation evaluate(Architecture architecture, EvaluationContext context);
}

package dev.creamery.api;

/**
 * Drives a search: proposes architectures, evaluates them through the context, and returns the
 * result. Strategies compose through their settings: one may take another as its {@code inner}
 * strategy (S3 evolves the space, then searches inside it; As-ViT grows a seed found by REINFORCE).
 */
public interface SearchStrategy {
    /**
     * @param space the space to search
     * @param context evaluation, budget, random source, progress
     * @return all trials, the best, the Pareto front (usually {@code context.result()})
     */
    SearchResult search(SearchSpace space, SearchContext context);

    /**
     * Checks, before the evaluator spends any time (training a supernet can take hours), that this
     * strategy can search the space for the task at all, e.g. that its size limits admit a member.
     * The runtime calls it once before preparing the evaluator; by default there is nothing to check.
     *
     * @param space the space to search
     * @param task the input shape and classes
     * @throws IllegalArgumentException saying what cannot work and how to fix it
     */
    default void check(SearchSpace space, Task task) {}
}

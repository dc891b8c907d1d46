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
}

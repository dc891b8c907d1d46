package dev.creamery.cream;

import dev.creamery.api.Architecture;
import dev.creamery.api.SearchContext;
import dev.creamery.api.SearchResult;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.SearchStrategy;
import java.util.List;

/**
 * Cream's selection: the final architecture is the most promising path of the prioritized board
 * (the paper's Sec. 3; the official code leaves the pick to the reader of its logs). Every board path
 * is evaluated with its inherited weights on the validation split, and the job's objectives pick
 * the best; the runtime's finalize then retrains, tests and exports it.
 */
public final class BoardSearch implements SearchStrategy {
    /** The strategy has no settings. */
    public record Settings() {}

    /** @param settings none */
    public BoardSearch(Settings settings) {}

    @Override
    public SearchResult search(SearchSpace space, SearchContext context) {
        List<Architecture> board = context.proposals();
        if (board.isEmpty()) {
            throw new IllegalStateException("the board strategy evaluates the prioritized board of evaluator { type = prioritized-path },"
                    + " but the job's evaluator proposes no path: use evaluator { type = prioritized-path } (with warmup-epochs below"
                    + " the supernet's epochs, so that the board fills)");
        }
        context.progress().note("evaluating the " + board.size() + " path(s) of the prioritized board");
        context.evaluateAll(board);
        return context.result();
    }
}

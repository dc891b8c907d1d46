package dev.creamery.api;

import java.util.List;

/**
 * An optional capability of an {@link Evaluator} whose preparation singles out members worth
 * evaluating (Cream's prioritized board: the best paths seen while its supernet trained). A strategy
 * reads them through {@link SearchContext#proposals()}.
 */
public interface Proposals {
    /** @return members of the prepared space, most promising first; empty before preparation */
    List<Architecture> proposals();
}

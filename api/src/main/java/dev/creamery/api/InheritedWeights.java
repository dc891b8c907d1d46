package dev.creamery.api;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.Optional;

/**
 * An optional capability of an {@link Evaluator} that trains shared weights (a supernet): it hands a
 * member's trained weights to a standalone network, from which the runtime finalises the best
 * member ({@code finalize.inherit}) instead of training it from scratch.
 */
public interface InheritedWeights {
    /**
     * @param architecture a member of the prepared space
     * @param manager owns the new block
     * @return a standalone network carrying the member's trained weights, if this evaluator has any
     */
    Optional<Block> inherit(Architecture architecture, NDManager manager);
}

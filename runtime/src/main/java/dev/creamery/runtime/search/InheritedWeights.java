package dev.creamery.runtime.search;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.creamery.api.Architecture;
import java.util.Optional;

/** An evaluator that holds trained shared weights and can hand a member's weights to the final model. */
public interface InheritedWeights {
    /**
     * @param architecture a member of the prepared space
     * @param manager owns the new block
     * @return a standalone network carrying the member's trained weights, if this evaluator has any
     */
    Optional<Block> inherit(Architecture architecture, NDManager manager);
}

package dev.creamery.api;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.Collection;

/**
 * One block that can run any member of its {@link WeightSharingSpace}.
 *
 * <p>The caller initialises {@link #block()} once ({@code block.initialize(manager,
 * DataType.FLOAT32, task.inputShape(1))}), then switches members with {@link #activate}; forward
 * passes run the active member. Not thread-safe: one active member at a time.
 */
public interface Supernet {
    /** @return the block holding every shared weight */
    Block block();

    /**
     * Makes later forward passes run this member.
     *
     * @param architecture a member of the space
     * @throws InvalidArchitectureException if it is not a member
     */
    void activate(Architecture architecture);

    /** @return the active member */
    Architecture active();

    /**
     * The parameters the active member uses. Optimizers update only these, as PyTorch skips
     * parameters that took no part in a step (unused layers keep their values and optimizer state);
     * a used parameter whose unused slice received a zero gradient is updated whole, as in PyTorch.
     *
     * @return the parameters of the active member
     */
    Collection<Parameter> activeParameters();

    /**
     * Copies a member out of the supernet as a standalone network, its weights taken from the
     * supernet (slices of the shared weights), ready to fine-tune, test and export.
     *
     * @param architecture a member of the space
     * @param manager owns the new block's parameters
     * @return an initialised block equal in function to the supernet with that member active
     */
    Block extract(Architecture architecture, NDManager manager);
}

package dev.creamery.api;

/**
 * A space relaxed into mixed operations weighted by architecture parameters (DARTS, CDARTS): a
 * differentiable strategy trains weights and architecture parameters together and reads an
 * architecture off the learned weights.
 */
public interface DifferentiableSpace extends SearchSpace {
    /**
     * @param task the input shape and classes
     * @return a new relaxed network with uninitialised parameters
     */
    MixedNetwork relax(Task task);
}

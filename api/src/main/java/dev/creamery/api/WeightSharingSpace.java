package dev.creamery.api;

/**
 * A space whose members share weights in one supernet (AutoFormer's weight entanglement, Cream's
 * and SPOS's one-shot supernets). The runtime's {@code one-shot} evaluator trains the supernet by
 * activating a uniformly sampled member per step, then scores members with inherited weights.
 */
public interface WeightSharingSpace extends SearchSpace {
    /**
     * @param task the input shape and classes
     * @return a new supernet with uninitialised parameters, its largest member active
     */
    Supernet supernet(Task task);
}

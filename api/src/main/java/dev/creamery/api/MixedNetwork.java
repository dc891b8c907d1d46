package dev.creamery.api;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.List;

/**
 * The continuous relaxation of a {@link DifferentiableSpace}: every choice is a mixture of all its
 * candidates, weighted by a softmax over architecture parameters.
 */
public interface MixedNetwork {
    /** @return the block computing the mixture; its parameters are the weights and the architecture parameters */
    Block block();

    /** @return the architecture parameters (disjoint from {@link #weights()}) */
    List<Parameter> architectureParameters();

    /** @return the ordinary weights */
    List<Parameter> weights();

    /**
     * Reads the discrete member off the architecture parameters by the space's own rule (DARTS: each
     * node keeps the two incoming edges whose strongest operation other than {@code none} is
     * strongest, each with that operation): a relaxed choice is not always one candidate per
     * dimension.
     *
     * @return the member the current architecture parameters select
     */
    Architecture derive();
}

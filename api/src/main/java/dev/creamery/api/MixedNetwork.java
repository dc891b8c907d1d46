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

    /** @return the member the current architecture parameters select (strongest candidate per choice) */
    Architecture derive();
}

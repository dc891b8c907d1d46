package dev.creamery.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import java.util.function.UnaryOperator;

/** A parameter-free activation that takes a place in a {@link Sequential}, as in the official code. */
final class Act extends Module {
    private final UnaryOperator<NDArray> function;

    private Act(UnaryOperator<NDArray> function) {
        this.function = function;
    }

    static Act relu() {
        return new Act(Activation::relu);
    }

    /** GELU in its exact erf form, as {@code nn.GELU()}. */
    static Act gelu() {
        return new Act(Activation::gelu);
    }

    @Override
    NDArray apply(ParameterStore store, NDArray x, boolean training) {
        return function.apply(x);
    }

    @Override
    Shape trace(Shape input, Macs macs) {
        return input;
    }
}

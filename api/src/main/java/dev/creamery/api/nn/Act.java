package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import java.util.function.UnaryOperator;

/** A parameter-free activation that takes a place in a {@link Sequential}, as in the official code. */
public final class Act extends Module {
    private final UnaryOperator<NDArray> function;

    private Act(UnaryOperator<NDArray> function) {
        this.function = function;
    }

    /** @return ReLU */
    public static Act relu() {
        return new Act(Activation::relu);
    }

    /** @return GELU in its exact erf form, as {@code nn.GELU()} */
    public static Act gelu() {
        return new Act(Activation::gelu);
    }

    /** @return swish {@code x * sigmoid(x)} (SiLU), timm's EfficientNet activation */
    public static Act swish() {
        return new Act(Act::swish);
    }

    /**
     * @param x the input
     * @return {@code x * sigmoid(x)}
     */
    public static NDArray swish(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /** @return tanh (As-ViT's head) */
    public static Act tanh() {
        return new Act(Activation::tanh);
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        return function.apply(x);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        return input;
    }
}

package dev.creamery.asvit;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Random;

/**
 * A network the training-free measures can probe, with the hooks the official measurement code
 * uses on its {@code Transformer}: the pooled features before the final norm
 * ({@code forward_features(x)[1]}), switching normalisation layers off ({@code switch_norm('id')}),
 * and re-drawing the initial weights ({@code _init_weights}).
 */
public interface TrainingFreeNetwork extends Block {
    /**
     * @param store where parameter values come from
     * @param images a batch {@code (N, C, H, W)}
     * @return the token-averaged features of the last stage, before the final norm, {@code (N, F)}
     */
    NDArray features(ParameterStore store, NDArray images);

    /**
     * Runs the features forward with a tangent: the exact derivative of the features along
     * {@code directions} (one direction per image), without any backward pass.
     *
     * @param store where parameter values come from
     * @param images a batch {@code (N, C, H, W)}
     * @param directions one input-space direction per image, same shape as {@code images}
     * @return the features {@code (N, F)} and their directional derivatives {@code (N, F)}
     */
    Tangent featuresWithTangent(ParameterStore store, NDArray images, NDArray directions);

    /**
     * @param enabled false to replace every layer norm by the identity (the official
     *     {@code switch_norm('id')}), true to restore them
     */
    void normalization(boolean enabled);

    /** @return the parameters whose gradients make up the neural tangent kernel: the weights (not biases) the features depend on */
    List<Parameter> kernelWeights();

    /**
     * Re-draws the weights as the official {@code _init_weights} does: linear weights from a normal
     * distribution with standard deviation 0.02 (truncated at +-2), linear biases 0, norm scales 1 and
     * shifts 0. The patch-embedding convolution is left as it is, as in the official code.
     *
     * @param random the random source
     */
    void reinitialize(Random random);

    /**
     * Re-draws the patch-embedding convolution as PyTorch initialises a new {@code Conv2d}: weights and
     * bias uniform in {@code +-1/sqrt(fan_in)}.
     *
     * @param random the random source
     */
    void reinitializeEmbedding(Random random);
}

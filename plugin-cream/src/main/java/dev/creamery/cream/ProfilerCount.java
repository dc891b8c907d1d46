package dev.creamery.cream;

import ai.djl.ndarray.types.Shape;
import dev.creamery.api.nn.BatchNorm;
import dev.creamery.api.nn.Conv2d;
import dev.creamery.api.nn.Macs;

/**
 * What the official code counts as FLOPs on top of the kit's convolutions and linear layers: Cream's
 * {@code get_model_flops_params} runs thop's {@code profile}, which (in the thop of 2020, whose counts
 * the README's 14M ... 604M are) also counts each convolution's bias once per output, each batch norm
 * twice per element, and each adaptive average pool {@code (H * W + 1)} times per output channel.
 * Activations, the gate's multiply and residual additions count nothing there either.
 */
final class ProfilerCount {
    private ProfilerCount() {}

    static Shape biased(Conv2d conv, Shape input, Macs macs) {
        Shape output = conv.trace(input, macs);
        macs.add(output.size());
        return output;
    }

    static Shape norm(BatchNorm bn, Shape input, Macs macs) {
        macs.add(2 * input.size());
        return bn.trace(input, macs);
    }

    /** The global average pool, {@code (B, C, H, W)} to {@code (B, C, 1, 1)}. */
    static Shape pool(Shape input, Macs macs) {
        macs.add(input.get(0) * input.get(1) * (input.get(2) * input.get(3) + 1));
        return new Shape(input.get(0), input.get(1), 1, 1);
    }

    /** Squeeze-excitation: its pool and the biases of its two 1x1 convolutions. */
    static void squeezeExcite(Shape input, int reduced, Macs macs) {
        pool(input, macs);
        macs.add(input.get(0) * (reduced + input.get(1)));
    }
}

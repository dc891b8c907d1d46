package dev.creamery.cream;

import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.UniformInitializer;
import dev.creamery.api.nn.Conv2d;
import dev.creamery.api.nn.Linear;

/**
 * timm's {@code _init_weight_goog}, which the official {@code efficientnet_init_weights} applies to
 * every Cream network: convolutions from N(0, 2 / fan-out) with fan-out {@code k * k * out / groups},
 * linear layers from U(-1/sqrt(out), 1/sqrt(out)), biases at zero (batch norms start at 1 and 0).
 */
final class GoogleInit {
    private GoogleInit() {}

    static Conv2d conv(int in, int out, int kernel, int stride, int groups, boolean bias) {
        Conv2d conv = new Conv2d(in, out, kernel, stride, kernel / 2, groups, bias);
        double fanOut = (double) kernel * kernel * out / groups;
        conv.setInitializer(new NormalInitializer((float) Math.sqrt(2.0 / fanOut)), Parameter.Type.WEIGHT);
        conv.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        return conv;
    }

    static Linear linear(int in, int out) {
        Linear linear = new Linear(in, out);
        linear.setInitializer(new UniformInitializer((float) (1 / Math.sqrt(out))), Parameter.Type.WEIGHT);
        linear.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        return linear;
    }
}

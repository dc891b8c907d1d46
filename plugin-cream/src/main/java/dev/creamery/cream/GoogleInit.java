package dev.creamery.cream;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.Pair;
import dev.creamery.api.nn.Conv2d;
import dev.creamery.api.nn.Linear;

/**
 * timm's {@code efficientnet_init_weights}, which the official code applies to every Cream network:
 * {@code _init_weight_goog} on every module of the tree, the squeeze-excitation convolutions
 * included. Convolutions from N(0, 2 / fan-out) with fan-out {@code k * k * out / groups}, linear
 * layers from U(-1/sqrt(out), 1/sqrt(out)), biases at zero (batch norms start at 1 and 0 already).
 */
final class GoogleInit {
    private GoogleInit() {}

    /**
     * @param root a network, not initialised
     * @param <B> its type
     * @return the network, its convolutions and linear layers set to initialise as timm's do
     */
    static <B extends Block> B apply(B root) {
        for (Pair<String, Block> child : root.getChildren()) {
            Block block = child.getValue();
            if (block instanceof Conv2d conv) {
                Shape weight = conv.getParameters().get("weight").getShape();
                double fanOut = (double) weight.get(0) * weight.get(2) * weight.get(3) / conv.groups();
                conv.setInitializer(new NormalInitializer((float) Math.sqrt(2.0 / fanOut)), Parameter.Type.WEIGHT);
                conv.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
            } else if (block instanceof Linear linear) {
                long out = linear.getParameters().get("weight").getShape().get(0);
                linear.setInitializer(new UniformInitializer((float) (1 / Math.sqrt(out))), Parameter.Type.WEIGHT);
                linear.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
            } else {
                apply(block);
            }
        }
        return root;
    }
}

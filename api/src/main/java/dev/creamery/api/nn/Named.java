package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * An official module whose only work is one child under an attribute name: timm's
 * {@code PatchEmbed} holding {@code proj}, MiniViT's {@code RepeatedMiniBlock} holding {@code block},
 * DARTS's {@code DilConv} holding {@code net}. It runs the child, and puts the name into the
 * {@code state_dict} keys.
 */
public final class Named extends Module {
    private final Module child;

    /**
     * @param name the official attribute name
     * @param child the module it holds
     */
    public Named(String name, Module child) {
        this.child = addChildBlock(name, child);
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        return child.apply(store, x, training);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        return child.trace(input, macs);
    }
}

package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/** Modules applied in order, named {@code 0, 1, ...} like the children of {@code nn.Sequential}. */
public final class Sequential extends Module {
    /** @param modules the first modules, in order */
    public Sequential(Module... modules) {
        for (Module module : modules) {
            add(module);
        }
    }

    /**
     * @param module the next module
     * @return this
     */
    public Sequential add(Module module) {
        addChildBlock(Integer.toString(children.size()), module);
        return this;
    }

    /** @return the number of modules */
    public int size() {
        return children.size();
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        NDArray y = x;
        for (Block child : children.values()) {
            y = ((Module) child).apply(store, y, training);
        }
        return y;
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        Shape shape = input;
        for (Block child : children.values()) {
            shape = ((Module) child).trace(shape, macs);
        }
        return shape;
    }
}

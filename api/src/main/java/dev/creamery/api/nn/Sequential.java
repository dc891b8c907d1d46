package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Modules applied in order, named {@code 0, 1, ...} like the children of {@code nn.Sequential}. */
public final class Sequential extends Module {
    /** The convolution-and-norm pairs found by {@link #prepareInference()}, by the convolution's position. */
    private final Map<Integer, ConvNorm> folded = new HashMap<>();
    private final boolean scoped;

    /** @param modules the first modules, in order */
    public Sequential(Module... modules) {
        this(false);
        for (Module module : modules) {
            add(module);
        }
    }

    private Sequential(boolean scoped) {
        this.scoped = scoped;
    }

    /**
     * A sequence of large blocks (a network's layers or stages), each run {@linkplain
     * Module#applyScoped scoped} at inference, so that a pass holds one block's intermediate arrays
     * at a time rather than the whole network's (each block's output is freed once the next block
     * has read it). Small sequences are better plain: a scope costs a few microseconds.
     *
     * @return an empty sequence whose modules run scoped
     */
    public static Sequential scoped() {
        return new Sequential(true);
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
        List<Block> modules = children.values();
        for (int i = 0; i < modules.size(); i++) {
            ConvNorm pair = folded.get(i);
            if (pair != null) {
                // Runs both the convolution and its norm: folded at inference while prepared (a training pass unfolds it).
                y = pair.apply(store, y, training);
                i++;
            } else if (scoped && !training && !Taps.recording()) {
                NDArray previous = y;
                y = ((Module) modules.get(i)).applyScoped(store, previous, false);
                if (previous != x && previous != y) {
                    // The last module's output has been read; no one else holds it at inference.
                    previous.close();
                }
            } else {
                y = ((Module) modules.get(i)).apply(store, y, training);
            }
        }
        return y;
    }

    /** Prepares the children, and folds each batch norm into a convolution right before it. */
    @Override
    public void prepareInference() {
        super.prepareInference();
        List<Block> modules = children.values();
        for (int i = 0; i + 1 < modules.size(); i++) {
            if (modules.get(i) instanceof Conv2d conv && modules.get(i + 1) instanceof BatchNorm norm) {
                folded.computeIfAbsent(i, position -> new ConvNorm(conv, norm)).prepare(1);
            }
        }
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

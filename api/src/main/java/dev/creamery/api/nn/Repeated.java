package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * MiniViT's {@code RepeatedModuleList}: one module per use of a multiplexed block (its layer norms,
 * its relative position tables, its head transformations), named {@code instances.0},
 * {@code instances.1}, … as in the official {@code state_dict}. The block selects the use before each
 * pass ({@link #in}, {@link #select}); the active instance runs, as a module or as a position encoding. The
 * selection is state of the network, as the official {@code _repeated_id} is: one network runs one
 * forward pass at a time.
 *
 * @param <M> the module type
 */
public final class Repeated<M extends Module> extends Module implements PositionEncoding {
    private final List<M> instances = new ArrayList<>();
    private int active;

    /**
     * @param times the uses
     * @param factory makes the module of use {@code r}
     */
    public Repeated(int times, IntFunction<M> factory) {
        if (times < 1) {
            throw new IllegalArgumentException("a repeated module needs at least one use, got " + times);
        }
        for (int r = 0; r < times; r++) {
            instances.add(addChildBlock("instances." + r, factory.apply(r)));
        }
    }

    /**
     * The per-use modules of a block, found once so that each pass only selects (as
     * {@link BatchNorm#in} finds a network's batch norms).
     *
     * @param root a block (a multiplexed block, or a whole network)
     * @return every repeated module under it (itself included), in depth-first order
     */
    public static List<Repeated<?>> in(Block root) {
        List<Repeated<?>> found = new ArrayList<>();
        if (root instanceof Repeated<?> repeated) {
            found.add(repeated);
        }
        for (Pair<String, Block> child : root.getChildren()) {
            found.addAll(in(child.getValue()));
        }
        return found;
    }

    /**
     * Makes this module run use {@code use} from the next pass on.
     *
     * @param use the use, from 0
     */
    public void select(int use) {
        if (use < 0 || use >= instances.size()) {
            throw new IllegalArgumentException("use " + use + " of a module repeated " + instances.size() + " times");
        }
        active = use;
    }

    /** @return the module of the selected use */
    public M active() {
        return instances.get(active);
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        return active().apply(store, x, training);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        return active().trace(input, macs);
    }

    @Override
    public NDArray logits(ParameterStore store, NDArray logits, NDArray q, NDArray k, boolean training) {
        return active() instanceof PositionEncoding e ? e.logits(store, logits, q, k, training) : logits;
    }

    @Override
    public NDArray weights(ParameterStore store, NDArray attention, boolean training) {
        return active() instanceof PositionEncoding e ? e.weights(store, attention, training) : attention;
    }

    @Override
    public NDArray output(ParameterStore store, NDArray out, NDArray attention, boolean training) {
        return active() instanceof PositionEncoding e ? e.output(store, out, attention, training) : out;
    }

    @Override
    public void trace(Shape queries, Shape keys, Shape values, Macs macs) {
        if (active() instanceof PositionEncoding e) {
            e.trace(queries, keys, values, macs);
        }
    }
}

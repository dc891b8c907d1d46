package dev.creamery.api.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.creamery.api.Architecture;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.Supernet;
import dev.creamery.api.Task;
import java.util.Collection;

/**
 * What every weight-sharing supernet does the same way, whatever its sharing scheme (AutoFormer's
 * entangled slices, SPOS's and Cream's choice blocks, a convolution's centre taps): it checks a
 * member against its space before running it, keeps the active member, and extracts a member as
 * the space's own standalone network filled with the member's share of the weights. A subclass says
 * only how its network runs a member, which parameters that member reads and how its share is copied.
 *
 * <p>The largest member is activated on first use rather than in the constructor, so that a
 * subclass's {@link #select} may rely on the subclass's own fields.
 *
 * @param <N> the network type
 */
public abstract class AbstractSupernet<N extends Block> implements Supernet {
    private final SearchSpace space;
    private final N network;
    private final Task task;
    private Architecture active;

    /**
     * @param space the space whose members the supernet runs, which also builds their standalone networks
     * @param network the network holding every shared weight, not initialised
     * @param task the input shape and classes
     */
    protected AbstractSupernet(SearchSpace space, N network, Task task) {
        this.space = space;
        this.network = network;
        this.task = task;
    }

    /**
     * Makes the network run a member.
     *
     * @param member a member the space has validated
     */
    protected abstract void select(Architecture member);

    /** @return the parameters the selected member reads */
    protected abstract Collection<Parameter> selectedParameters();

    /**
     * Copies the selected member's share of the shared weights into its standalone network.
     *
     * @param member the space's standalone network of the selected member, initialised
     * @param scratch owns temporaries (slices), closed afterwards
     */
    protected abstract void copySelected(Block member, NDManager scratch);

    /** @return the network, typed */
    protected final N network() {
        return network;
    }

    @Override
    public final Block block() {
        current();
        return network;
    }

    @Override
    public final void activate(Architecture architecture) {
        space.validate(architecture);
        select(architecture);
        active = architecture;
    }

    @Override
    public final Architecture active() {
        return current();
    }

    @Override
    public final Collection<Parameter> activeParameters() {
        current();
        return selectedParameters();
    }

    /** The member runs for the copy, so that the share is the one its forward passes read; the active member is restored. */
    @Override
    public final Block extract(Architecture architecture, NDManager manager) {
        Architecture previous = current();
        activate(architecture);
        try {
            Block alone = space.build(architecture, task);
            alone.initialize(manager, DataType.FLOAT32, task.inputShape(1));
            try (NDManager scratch = manager.newSubManager()) {
                copySelected(alone, scratch);
            }
            return alone;
        } finally {
            activate(previous);
        }
    }

    private Architecture current() {
        if (active == null) {
            activate(space.largest());
        }
        return active;
    }
}

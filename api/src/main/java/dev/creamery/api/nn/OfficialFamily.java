package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.Task;
import java.util.Map;

/**
 * A family of official networks built from {@link Module}s: one method builds the network, and
 * everything else follows from it, so that what the family reports is what it runs. Parameters are
 * counted from the declared shapes and multiply-accumulates by tracing one image through the network
 * ({@link Module#complexity}: each module counts what the paper's convention counts); official
 * checkpoints lose the buffers the network derives, each checked against the derived value
 * ({@link OfficialCheckpoint}), before the family's own adaptation.
 */
public abstract class OfficialFamily implements ModelFamily {
    /**
     * @param architecture an architecture of the family
     * @param task the input shape and classes
     * @return the network, not initialised (building it allocates no arrays)
     */
    protected abstract Module network(Architecture architecture, Task task);

    @Override
    public Complexity complexity(Architecture architecture, Task task) {
        return network(architecture, task).complexity(task);
    }

    @Override
    public Block build(Architecture architecture, Task task) {
        return network(architecture, task);
    }

    /** The derived buffers go in one place for every family; what else a family's checkpoints need is {@link #adapt}. */
    @Override
    public final Map<String, NDArray> fromOfficial(Map<String, NDArray> tensors, Architecture architecture, Task task) {
        Module network = network(architecture, task);
        return adapt(OfficialCheckpoint.withoutDerivedBuffers(tensors, network, "the checkpoint"), network, architecture, task);
    }

    /**
     * Adapts what names alone cannot, after the derived buffers are gone (a matrix stored where the
     * network has a 1x1 kernel, a supernet's tensors sliced to a member).
     *
     * @param tensors the checkpoint without its derived buffers
     * @param network the network being loaded, not initialised
     * @param architecture what was built
     * @param task the input shape and classes
     * @return the tensors to load by name; by default unchanged
     */
    protected Map<String, NDArray> adapt(Map<String, NDArray> tensors, Module network, Architecture architecture, Task task) {
        return tensors;
    }
}

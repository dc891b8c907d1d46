package dev.creamery.models;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.Task;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import java.util.Map;

/**
 * What the families of this plugin share: the network is a {@link Module}, so its parameters are
 * counted from the declared shapes and its multiply-accumulates by tracing one image through it, and
 * official checkpoints lose the buffers the network derives.
 */
abstract class OfficialFamily implements ModelFamily {
    /**
     * @param architecture an architecture of the family
     * @param task the input shape and classes
     * @return the network, not initialised (building it allocates no arrays)
     */
    abstract Module network(Architecture architecture, Task task);

    /**
     * Counts parameters as the official code does; multiply-accumulates are those of convolutions,
     * linear layers and the two attention products, the convention behind the papers' tables. Norms
     * (foldable into the preceding layer), activations, softmax, residual additions, pooling, gating and
     * the resizing of small inputs are not counted.
     */
    @Override
    public Complexity complexity(Architecture architecture, Task task) {
        Module network = network(architecture, task);
        Macs macs = new Macs();
        network.trace(task.inputShape(1), macs);
        return new Complexity(network.params(), macs.total());
    }

    @Override
    public Block build(Architecture architecture, Task task) {
        return network(architecture, task);
    }

    @Override
    public Map<String, NDArray> fromOfficial(Map<String, NDArray> tensors, Architecture architecture, Task task) {
        return OfficialCheckpoint.withoutDerivedBuffers(tensors, network(architecture, task), "the checkpoint");
    }
}

package dev.creamery.autoformer;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.creamery.api.Architecture;
import dev.creamery.api.StateDict;
import dev.creamery.api.Supernet;
import dev.creamery.api.Task;
import java.util.Collection;
import java.util.Map;

/**
 * The weight-entangled supernet of an {@link AutoFormerSpace}: one {@link AutoFormerNetwork} at the
 * supernet's widths, any member of the space active at a time.
 */
final class AutoFormerSupernet implements Supernet {
    private final AutoFormerSpace space;
    private final AutoFormerNetwork network;
    private final Task task;
    private Architecture active;

    AutoFormerSupernet(AutoFormerSpace space, AutoFormerNetwork network, Task task) {
        this.space = space;
        this.network = network;
        this.task = task;
        activate(space.largest());
    }

    @Override
    public Block block() {
        return network;
    }

    @Override
    public void activate(Architecture architecture) {
        space.validate(architecture);
        network.activate(Subnet.of(architecture));
        active = architecture;
    }

    @Override
    public Architecture active() {
        return active;
    }

    @Override
    public Collection<Parameter> activeParameters() {
        return network.activeParameters();
    }

    /** Every tensor of the member's standalone network is the leading slice of the supernet's tensor of the same name. */
    @Override
    public Block extract(Architecture architecture, NDManager manager) {
        Block alone = space.build(architecture, task);
        alone.initialize(manager, DataType.FLOAT32, task.inputShape(1));
        Map<String, Parameter> shared = StateDict.names(network);
        try (NDManager scratch = manager.newSubManager()) {
            StateDict.names(alone).forEach((name, parameter) -> StateDict.copy(
                    Slices.leading(shared.get(name).getArray(), parameter.getShape(), scratch), parameter.getArray()));
        }
        return alone;
    }
}

package dev.creamery.autoformer;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.creamery.api.Architecture;
import dev.creamery.api.Supernet;
import dev.creamery.api.Task;
import java.util.Collection;

/** The weight-entangled supernet of an {@link S3Space}: one {@link S3Network} at the space's widest widths. */
final class S3Supernet implements Supernet {
    private final S3Space space;
    private final S3Network network;
    private final Task task;
    private Architecture active;

    S3Supernet(S3Space space, S3Network network, Task task) {
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
        network.activate(S3Member.of(architecture, space.preset().stages().size()));
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

    /** Every tensor of the member's standalone network is its share of the supernet's tensor of the same name. */
    @Override
    public Block extract(Architecture architecture, NDManager manager) {
        Block alone = space.build(architecture, task);
        alone.initialize(manager, DataType.FLOAT32, task.inputShape(1));
        try (NDManager scratch = manager.newSubManager()) {
            Entangled.copyShares(network, alone, scratch);
        }
        return alone;
    }
}

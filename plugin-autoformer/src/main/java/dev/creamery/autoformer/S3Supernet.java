package dev.creamery.autoformer;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.creamery.api.Architecture;
import dev.creamery.api.Task;
import dev.creamery.api.nn.AbstractSupernet;
import java.util.Collection;

/** The weight-entangled supernet of an {@link S3Space}: one {@link S3Network} at the space's widest widths. */
final class S3Supernet extends AbstractSupernet<S3Network> {
    private final int stages;

    S3Supernet(S3Space space, S3Network network, Task task) {
        super(space, network, task);
        this.stages = space.preset().stages().size();
    }

    @Override
    protected void select(Architecture member) {
        network().activate(S3Member.of(member, stages));
    }

    @Override
    protected Collection<Parameter> selectedParameters() {
        return network().activeParameters();
    }

    /** Every tensor of the member's standalone network is its share of the supernet's tensor of the same name. */
    @Override
    protected void copySelected(Block member, NDManager scratch) {
        Entangled.copyShares(network(), member, scratch);
    }
}

package dev.creamery.autoformer;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.creamery.api.Architecture;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.api.nn.AbstractSupernet;
import java.util.Collection;
import java.util.Map;

/**
 * The weight-entangled supernet of an {@link AutoFormerSpace}: one {@link AutoFormerNetwork} at the
 * supernet's widths, any member of the space active at a time.
 */
final class AutoFormerSupernet extends AbstractSupernet<AutoFormerNetwork> {
    AutoFormerSupernet(AutoFormerSpace space, AutoFormerNetwork network, Task task) {
        super(space, network, task);
    }

    @Override
    protected void select(Architecture member) {
        network().activate(Subnet.of(member));
    }

    @Override
    protected Collection<Parameter> selectedParameters() {
        return network().activeParameters();
    }

    /** Every tensor of the member's standalone network is the leading slice of the supernet's tensor of the same name. */
    @Override
    protected void copySelected(Block member, NDManager scratch) {
        Map<String, Parameter> shared = StateDict.names(network());
        StateDict.names(member).forEach((name, parameter) -> StateDict.copy(
                Slices.leading(shared.get(name).getArray(), parameter.getShape(), scratch), parameter.getArray()));
    }
}

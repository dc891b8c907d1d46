package dev.creamery.autoformer;

import dev.creamery.api.SearchSpace;
import dev.creamery.api.Task;
import dev.creamery.testkit.SearchSpaceContract;

/** The search-space contract for the {@code tiny-28} space, supernet included. */
class AutoFormerSpaceContractTest extends SearchSpaceContract {
    @Override
    protected SearchSpace space() {
        return new AutoFormerSpace(Preset.TINY_28, 0.0);
    }

    @Override
    protected Task task() {
        return Task.square(1, 28, 10);
    }
}

package dev.creamery.cream;

import dev.creamery.api.SearchSpace;
import dev.creamery.api.Task;
import dev.creamery.testkit.SearchSpaceContract;

/** The search-space contract for the {@code tiny-28} space, supernet included. */
class CreamSpaceContractTest extends SearchSpaceContract {
    @Override
    protected SearchSpace space() {
        return new CreamSpace(ReferenceConf.space());
    }

    @Override
    protected Task task() {
        return Task.square(1, 28, 10);
    }
}

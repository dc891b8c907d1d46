package dev.creamery.runtime.space;

import dev.creamery.api.SearchSpace;
import dev.creamery.api.Task;
import dev.creamery.runtime.Fixtures;
import dev.creamery.testkit.SearchSpaceContract;

class ConvNetSpaceContractTest extends SearchSpaceContract {
    @Override
    protected SearchSpace space() {
        return Fixtures.convnet();
    }

    @Override
    protected Task task() {
        return Task.square(1, 12, 5);
    }
}

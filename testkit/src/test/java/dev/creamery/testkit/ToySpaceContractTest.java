package dev.creamery.testkit;

import dev.creamery.api.SearchSpace;
import dev.creamery.api.Task;

class ToySpaceContractTest extends SearchSpaceContract {
    @Override
    protected SearchSpace space() {
        return new ToySpace();
    }

    @Override
    protected Task task() {
        return Task.square(1, 4, 3);
    }
}

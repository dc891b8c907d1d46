package dev.creamery.asvit;

import dev.creamery.api.SearchSpace;
import dev.creamery.api.Task;
import dev.creamery.testkit.SearchSpaceContract;

class AsVitSpaceContractTest extends SearchSpaceContract {
    @Override
    protected SearchSpace space() {
        return new AsVitSpace();
    }

    @Override
    protected Task task() {
        return Task.square(1, 28, 10);
    }
}

package dev.creamery.autoformer;

import dev.creamery.api.SearchSpace;
import dev.creamery.api.Task;
import dev.creamery.testkit.SearchSpaceContract;

/** The search-space contract, supernet included, on the {@code tiny-28} space and Fashion-MNIST-sized images. */
class S3SpaceContractTest extends SearchSpaceContract {
    @Override
    protected SearchSpace space() {
        return new S3Space(S3Preset.TINY_28, 0.1);
    }

    @Override
    protected Task task() {
        return Task.square(1, 28, 10);
    }
}

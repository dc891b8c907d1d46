package dev.creamery.models;

import dev.creamery.api.ModelFamily;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.testkit.ModelFamilyContract;

/**
 * The model-family contract over every TinyViT variant, on grey 28x28 images (run at 64x64). MBConv branches
 * start at scale 1 and drop path is off: the official zero start delays the first gradient of the weights in
 * a branch by one step, and a dropped branch gets none in that step, both by design.
 */
class TinyVitContractTest extends ModelFamilyContract {
    @Override
    protected ModelFamily family() {
        return new TinyVitFamily(new TinyVitSettings(false, ReferenceConf.tinyVit().minInputSize(), 0));
    }

    @Override
    protected Task smallTask(Variant variant) {
        return Task.square(1, 28, 10);
    }

    /** Depths [2, 2, 6, 2], the first stage convolutional. */
    @Override
    protected int reportedLayers(Variant variant) {
        return 10;
    }
}

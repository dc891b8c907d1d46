package dev.creamery.models;

import dev.creamery.api.ModelFamily;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.testkit.ModelFamilyContract;

/** The model-family contract over the Mini-DeiT variants on grey 32x32 images (a 2x2 grid of 16x16 patches, no class token). */
class MiniVitContractTest extends ModelFamilyContract {
    @Override
    protected ModelFamily family() {
        return new MiniVitFamily(new DeitSettings(0));
    }

    @Override
    protected Task smallTask(Variant variant) {
        return Task.square(1, 32, 10);
    }

    /** Six blocks, each used twice. */
    @Override
    protected int reportedLayers(Variant variant) {
        return 12;
    }
}

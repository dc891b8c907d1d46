package dev.creamery.models;

import dev.creamery.api.ModelFamily;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.testkit.ModelFamilyContract;

/**
 * The model-family contract over every DeiT variant, plain and with iRPE, on grey 32x32 images: 16x16
 * patches make a 2x2 grid and a class token, so every iRPE table is used. Drop path is off, so that no
 * branch is dropped in the training-mode gradient check.
 */
class DeitContractTest extends ModelFamilyContract {
    @Override
    protected ModelFamily family() {
        return new DeitFamily(new DeitSettings(0));
    }

    @Override
    protected Task smallTask(Variant variant) {
        return Task.square(1, 32, 10);
    }

    @Override
    protected int reportedLayers(Variant variant) {
        return 12;
    }
}

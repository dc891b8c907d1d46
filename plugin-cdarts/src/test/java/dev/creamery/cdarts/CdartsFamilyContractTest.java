package dev.creamery.cdarts;

import dev.creamery.api.ModelFamily;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.testkit.ModelFamilyContract;

/**
 * The model-family contract over the published cells, CIFAR's at its own 32x32 and ImageNet's layout
 * on 64x64 images (its stride-8 stem leaves an 8x8 grid). Drop path is off, so that no operation is
 * dropped in the training-mode gradient check.
 */
class CdartsFamilyContractTest extends ModelFamilyContract {
    @Override
    protected ModelFamily family() {
        return new CdartsFamily(new CdartsSettings(0));
    }

    @Override
    protected Task smallTask(Variant variant) {
        return variant.name().equals("cdarts-imagenet") ? Task.square(3, 64, 10) : variant.task();
    }
}

package dev.creamery.autoformer;

import dev.creamery.api.ModelFamily;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.testkit.ModelFamilyContract;

/**
 * The model-family contract over AutoFormer-T/S/B, on 32x32 images (a 2x2 patch grid) to stay fast.
 * Stochastic depth is off: a dropped branch gets no gradient in that step, by design.
 */
class AutoFormerFamilyContractTest extends ModelFamilyContract {
    @Override
    protected ModelFamily family() {
        return new AutoFormerFamily(new AutoFormerFamilySettings(0.0));
    }

    @Override
    protected Task smallTask(Variant variant) {
        return Task.square(3, 32, 10);
    }

    @Override
    protected int reportedLayers(Variant variant) {
        return java.util.Map.of("autoformer-t", 13, "autoformer-s", 13, "autoformer-b", 14).get(variant.name());
    }
}

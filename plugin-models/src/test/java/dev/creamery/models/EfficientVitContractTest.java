package dev.creamery.models;

import dev.creamery.api.ModelFamily;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.testkit.ModelFamilyContract;

/**
 * The model-family contract over every EfficientViT variant, on grey 28x28 images (run at 80x80). Residual
 * branches start at scale 1 here: with the official zero start, the weights inside a branch get their first
 * gradient only after the first step, by design, which the contract's one-step gradient check cannot tell
 * from a disconnected weight.
 */
class EfficientVitContractTest extends ModelFamilyContract {
    @Override
    protected ModelFamily family() {
        return new EfficientVitFamily(new EfficientVitSettings(false, ReferenceConf.efficientVit().minInputSize()));
    }

    @Override
    protected Task smallTask(Variant variant) {
        return Task.square(1, 28, 10);
    }
}

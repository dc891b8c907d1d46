package dev.creamery.cream;

import dev.creamery.api.ModelFamily;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.testkit.ModelFamilyContract;

class CreamFamilyContractTest extends ModelFamilyContract {
    @Override
    protected ModelFamily family() {
        return new CreamFamily(ReferenceConf.family());
    }

    @Override
    protected Task smallTask(Variant variant) {
        return Task.square(1, 28, 10);
    }
}

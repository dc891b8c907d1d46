package dev.creamery.asvit;

import dev.creamery.api.ModelFamily;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.testkit.ModelFamilyContract;
import org.junit.jupiter.api.Tag;

@Tag("slow")
class AsVitFamilyContractTest extends ModelFamilyContract {
    @Override
    protected ModelFamily family() {
        return new AsVitFamily();
    }

    @Override
    protected Task smallTask(Variant variant) {
        return Task.square(1, 28, 10);
    }

    @Override
    protected int reportedLayers(Variant variant) {
        return java.util.Arrays.stream(Topology.of(variant.architecture()).layers()).sum();
    }
}

package dev.creamery.autoformer;

import dev.creamery.api.ModelFamily;
import dev.creamery.api.Variant;
import dev.creamery.testkit.ModelFamilyContract;
import org.junit.jupiter.api.Tag;

/**
 * The model-family contract over S3-T/S/B. They run only at 224×224 (every stage's window must fit its
 * token grid, as in the official code), so this is slow. Drop path is off: a branch dropped for the whole
 * batch gets no gradient in that step, by design.
 */
@Tag("slow")
class S3FamilyContractTest extends ModelFamilyContract {
    @Override
    protected ModelFamily family() {
        return new S3Family(new S3FamilySettings(0));
    }

    @Override
    protected int reportedLayers(Variant variant) {
        return java.util.Map.of("s3-t", 12, "s3-s", 24, "s3-b", 36).get(variant.name());
    }
}

package dev.creamery.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creamery.api.ModelFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * The contract on a toy family: its own checks pass on the toy fixture's three inputs (through the inherited tests),
 * a variant without a fixture is reported, and a fixture naming no variant of the family fails.
 */
class ReferenceEquivalenceContractTest extends ReferenceEquivalenceContract {
    @Override
    protected ModelFamily family() {
        return new ToyLinearFamily("toy-a", "toy-b");
    }

    @Override
    protected String fixtureFolder() {
        return "/reference-toy";
    }

    @Test
    void checksTheVariantsWithAFixtureAndReportsTheOthers() {
        List<Map<String, String>> entries = new ArrayList<>();
        TestReporter reporter = entries::add;
        everyFixtureNamesAVariantOfTheFamily(reporter);
        assertThat(variantsWithFixture()).extracting(v -> v.name()).containsExactly("toy-a");
        assertThat(entries).containsExactly(Map.of("variants without a reference fixture", "toy-b"));
    }

    @Test
    void aFixtureOfAnUnknownVariantFails() {
        ReferenceEquivalenceContract renamed = new ReferenceEquivalenceContractTest() {
            @Override
            protected ModelFamily family() {
                return new ToyLinearFamily("toy-b");
            }
        };
        assertThatThrownBy(() -> renamed.everyFixtureNamesAVariantOfTheFamily(entry -> {}))
                .isInstanceOf(AssertionError.class).hasMessageContaining("toy-a");
    }

    @Test
    void aFolderWithoutFixturesOfTheFamilyFails() {
        ReferenceEquivalenceContract elsewhere = new ReferenceEquivalenceContractTest() {
            @Override
            protected ModelFamily family() {
                return new ToyLinearFamily("tiny-a");
            }
        };
        assertThatThrownBy(() -> elsewhere.everyFixtureNamesAVariantOfTheFamily(entry -> {}))
                .isInstanceOf(AssertionError.class).hasMessageContaining("tiny-");
    }
}

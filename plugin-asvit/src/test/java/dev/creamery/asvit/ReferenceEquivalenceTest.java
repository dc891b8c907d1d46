package dev.creamery.asvit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.StateDict;
import dev.creamery.api.Variant;
import dev.creamery.runtime.cli.Creamery;
import dev.creamery.testkit.Blocks;
import dev.creamery.testkit.CommandLineReference;
import dev.creamery.testkit.ReferenceEquivalenceContract;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Official weights give the official logits for every committed input, and the official parameter counts and topologies. */
class ReferenceEquivalenceTest extends ReferenceEquivalenceContract {
    private static final AsVitFamily FAMILY = new AsVitFamily();

    @Override
    protected ModelFamily family() {
        return FAMILY;
    }

    /** As-ViT Large has 88M parameters: its float32 check runs with the slow tests. */
    @Override
    protected boolean isSlow(Variant variant) {
        return variant.name().equals("asvit-large");
    }

    @Override
    protected CommandLineReference.CommandLine commandLine() {
        return Creamery::execute;
    }

    @TestFactory
    Stream<DynamicTest> topologiesAndParameterCountsAreTheOfficialOnes() {
        return variantsWithFixture().stream().map(variant -> DynamicTest.dynamicTest(variant.name(), () -> {
            var fixture = fixture(variant);
            assertThat(FAMILY.parse(fixture.spec().getAsJsonObject("config").get("topology").getAsString()))
                    .isEqualTo(variant.architecture());
            assertThat(FAMILY.complexity(variant.architecture(), variant.task()).params()).isEqualTo(fixture.params());
            try (NDManager manager = NDManager.newBaseManager()) {
                Block block = Blocks.initialize(FAMILY.build(variant.architecture(), variant.task()), manager, variant.task());
                assertThat(StateDict.countParameters(block)).isEqualTo(fixture.params());
            }
        }));
    }

    /** No convolution followed by a batch norm, no cached tables: preparing changes nothing (checked on one input). */
    @Override
    protected boolean hasInferenceForm() {
        return false;
    }
}

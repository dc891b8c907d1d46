package dev.creamery.asvit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.creamery.api.StateDict;
import dev.creamery.api.Variant;
import dev.creamery.testkit.Blocks;
import dev.creamery.testkit.ReferenceFixture;
import java.util.ArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Official weights give the official logits, parameter counts and tensor names. */
class ReferenceEquivalenceTest {
    private final AsVitFamily family = new AsVitFamily();

    @Tag("slow")
    @ParameterizedTest
    @ValueSource(strings = {"asvit-seed", "asvit-large"})
    void matchesTheOfficialModel(String key) {
        ReferenceFixture fixture = ReferenceFixture.load("/reference/" + key + ".json.gz");
        Variant variant = family.variant(key);
        assertThat(family.parse(fixture.spec().getAsJsonObject("config").get("topology").getAsString()))
                .isEqualTo(variant.architecture());
        assertThat(family.complexity(variant.architecture(), variant.task()).params()).isEqualTo(fixture.params());
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Blocks.initialize(family.build(variant.architecture(), variant.task()), manager, variant.task());
            assertThat(new ArrayList<>(StateDict.names(block).keySet())).containsExactlyElementsOf(fixture.tensorNames());
            assertThat(StateDict.countParameters(block)).isEqualTo(fixture.params());
            StateDict.load(block, family.fromOfficial(fixture.weights(manager), variant.architecture(), variant.task()), key);
            NDArray logits = Blocks.forward(block, fixture.input(manager), false);
            double diff = fixture.maxAbsDifference(logits);
            System.out.printf("%s max |diff| %.3g (tolerance %.3g)%n", key, diff, fixture.tolerance());
            assertThat(diff).isLessThanOrEqualTo(fixture.tolerance());
        }
    }
}

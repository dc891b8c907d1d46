package dev.creamery.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.StateDict;
import dev.creamery.api.Variant;
import dev.creamery.testkit.Blocks;
import dev.creamery.testkit.ReferenceFixture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every variant with an official reference fixture, loaded through the path a user's checkpoint takes
 * ({@code fromOfficial}, then {@link StateDict#load}), gives the official logits.
 */
class ReferenceEquivalenceTest {
    static Stream<String> keys() {
        return Stream.of("efficientvit-m0", "efficientvit-m1", "efficientvit-m2", "efficientvit-m3", "efficientvit-m4",
                "efficientvit-m5", "tinyvit-5m", "tinyvit-11m", "tinyvit-21m");
    }

    static ModelFamily family(String key) {
        return key.startsWith("efficientvit") ? new EfficientVitFamily(ReferenceConf.efficientVit())
                : new TinyVitFamily(ReferenceConf.tinyVit());
    }

    static ReferenceFixture fixture(String key) {
        return ReferenceFixture.load("/reference/" + key + ".json.gz");
    }

    @ParameterizedTest
    @MethodSource("keys")
    void givesTheOfficialLogits(String key) {
        ReferenceFixture fixture = fixture(key);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = load(key, fixture, manager, DataType.FLOAT32);
            NDArray logits = Blocks.forward(block, fixture.input(manager), false);
            assertThat(fixture.maxAbsDifference(logits)).isLessThanOrEqualTo(fixture.tolerance());
        }
    }

    /**
     * In float64 our network is the official float64 network: its distance from the official float32
     * logits is the official model's own float32 error, up to rounding our logits to float32 for the
     * comparison. This is far tighter than the float32 tolerance, which has to absorb two float32 errors.
     */
    @Tag("slow")
    @ParameterizedTest
    @MethodSource("keys")
    void inFloat64MatchesTheOfficialFloat64Logits(String key) {
        ReferenceFixture fixture = fixture(key);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = load(key, fixture, manager, DataType.FLOAT64);
            NDArray logits = Blocks.forward(block, fixture.input(manager).toType(DataType.FLOAT64, false), false);
            assertThat(fixture.maxAbsDifference(logits)).isLessThanOrEqualTo(fixture.float64Tolerance());
        }
    }

    @ParameterizedTest
    @MethodSource("keys")
    void namesAreTheOfficialStateDictWithoutDerivedBuffers(String key) {
        ReferenceFixture fixture = fixture(key);
        Variant variant = family(key).variant(key);
        var official = fixture.tensorNames().stream()
                .filter(n -> !n.endsWith(".num_batches_tracked") && !n.endsWith(".attention_bias_idxs")).toList();
        assertThat(StateDict.names(family(key).build(variant.architecture(), variant.task())).keySet())
                .containsExactlyElementsOf(official);
    }

    private static Block load(String key, ReferenceFixture fixture, NDManager manager, DataType type) {
        ModelFamily family = family(key);
        return fixture.loadInto(family, family.variant(key), manager, type);
    }
}

package dev.creamery.autoformer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import dev.creamery.api.StateDict;
import dev.creamery.api.Variant;
import dev.creamery.testkit.Blocks;
import dev.creamery.testkit.ReferenceFixture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AutoFormer-T/S/B, loaded from the official supernet checkpoints (the fixtures' state dicts are whole
 * supernets) the way {@code creamery predict} loads them, give the official subnets' logits, and count
 * their parameters as the official {@code get_sampled_params_numel}.
 */
class AutoFormerEquivalenceTest {
    private static final AutoFormerFamily FAMILY = new AutoFormerFamily(new AutoFormerFamilySettings(0.1));

    static Stream<String> keys() {
        return Stream.of("autoformer-t", "autoformer-s", "autoformer-b");
    }

    static ReferenceFixture fixture(String key) {
        return ReferenceFixture.load("/reference/" + key + ".json.gz");
    }

    @ParameterizedTest
    @MethodSource("keys")
    void givesTheOfficialLogitsFromTheOfficialSupernet(String key) {
        ReferenceFixture fixture = fixture(key);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = fixture.loadInto(FAMILY, FAMILY.variant(key), manager, DataType.FLOAT32);
            NDArray logits = Blocks.forward(block, fixture.input(manager), false);
            assertThat(fixture.maxAbsDifference(logits)).isLessThanOrEqualTo(fixture.tolerance());
        }
    }

    @Tag("slow")
    @ParameterizedTest
    @MethodSource("keys")
    void inFloat64MatchesTheOfficialFloat64Logits(String key) {
        ReferenceFixture fixture = fixture(key);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = fixture.loadInto(FAMILY, FAMILY.variant(key), manager, DataType.FLOAT64);
            NDArray logits = Blocks.forward(block, fixture.input(manager).toType(DataType.FLOAT64, false), false);
            assertThat(fixture.maxAbsDifference(logits)).isLessThanOrEqualTo(fixture.float64Tolerance());
        }
    }

    @ParameterizedTest
    @MethodSource("keys")
    void countsParametersAsTheOfficialCode(String key) {
        Variant variant = FAMILY.variant(key);
        long official = fixture(key).spec().get("subnet_params").getAsLong();
        assertThat(FAMILY.complexity(variant.architecture(), variant.task()).params()).isEqualTo(official);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Blocks.initialize(FAMILY.build(variant.architecture(), variant.task()), manager, variant.task());
            assertThat(StateDict.countParameters(block)).isEqualTo(official);
        }
    }

    @ParameterizedTest
    @MethodSource("keys")
    void theSupernetHasTheOfficialNamesAndShapes(String key) {
        ReferenceFixture fixture = fixture(key);
        Variant variant = FAMILY.variant(key);
        Preset preset = Preset.named(variant.architecture().getString(AutoFormerFamily.PRESET));
        Block supernet = new AutoFormerSpace(preset, 0.1).supernet(variant.task()).block();
        assertThat(StateDict.names(supernet).keySet()).containsExactlyElementsOf(fixture.tensorNames());
        assertThat(AutoFormerSpace.measure((AutoFormerNetwork) supernet, variant.task()).params())
                .isEqualTo(fixture.spec().get("supernet_params").getAsLong());
    }
}

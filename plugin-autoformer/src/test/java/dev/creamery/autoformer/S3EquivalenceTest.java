package dev.creamery.autoformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.creamery.api.CheckpointMismatchException;
import dev.creamery.api.Complexity;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.Variant;
import dev.creamery.runtime.cli.Creamery;
import dev.creamery.testkit.CommandLineReference;
import dev.creamery.testkit.ReferenceEquivalenceContract;
import dev.creamery.testkit.ReferenceFixture;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * S3-T/S/B, loaded from the official checkpoints' tensors the way {@code creamery predict} loads them, give
 * the official logits for every committed input, carry the official names and count parameters as the official
 * code.
 */
class S3EquivalenceTest extends ReferenceEquivalenceContract {
    private static final S3Family FAMILY = new S3Family(new S3FamilySettings(0.1));

    @Override
    protected ModelFamily family() {
        return FAMILY;
    }

    /** S3-S and S3-B take a while on two cores: their float32 check is the predict test's. */
    @Override
    protected boolean isSlow(Variant variant) {
        return Set.of("s3-s", "s3-b").contains(variant.name());
    }

    @Override
    protected CommandLineReference.CommandLine commandLine() {
        return Creamery::execute;
    }

    static ReferenceFixture fixture(String key) {
        return ReferenceFixture.load("/reference/" + key + ".json.gz");
    }

    /** The counts behind docs/s3.md: parameters as the official code and the README (28M / 50M / 71M), MACs by the docs' convention. */
    @ParameterizedTest
    @CsvSource({"s3-t, 28328674, 4623332352", "s3-s, 49737298, 9404703744", "s3-b, 71125762, 13655012352"})
    void countsParametersAsTheOfficialCodeAndPinsTheMacs(String key, long params, long macs) {
        Variant variant = FAMILY.variant(key);
        Complexity complexity = FAMILY.complexity(variant.architecture(), variant.task());
        assertThat(complexity.params()).isEqualTo(params).isEqualTo(fixture(key).params());
        assertThat(complexity.flops()).isEqualTo(macs);
    }

    @Test
    void derivedBuffersAreCheckedAndDropped() {
        ReferenceFixture fixture = fixture("s3-t");
        Variant variant = FAMILY.variant("s3-t");
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> official = fixture.weights(manager);
            Map<String, NDArray> kept = FAMILY.fromOfficial(official, variant.architecture(), variant.task());
            assertThat(official.keySet()).filteredOn(n -> n.endsWith(".relative_position_index")).hasSize(12);
            assertThat(official.keySet()).filteredOn(n -> n.endsWith(".attn_mask")).containsExactly(
                    "layers.0.blocks.1.attn_mask", "layers.1.blocks.1.attn_mask");
            assertThat(kept.keySet()).noneMatch(n -> n.endsWith(".relative_position_index") || n.endsWith(".attn_mask"))
                    .hasSize(official.size() - 14);

            Map<String, NDArray> tampered = new LinkedHashMap<>(official);
            tampered.put("layers.1.blocks.1.attn_mask", official.get("layers.1.blocks.1.attn_mask").mul(0));
            tampered.put("layers.2.blocks.0.attn.relative_position_index", official.get("layers.0.blocks.0.attn.relative_position_index"));
            assertThatThrownBy(() -> FAMILY.fromOfficial(tampered, variant.architecture(), variant.task()))
                    .isInstanceOf(CheckpointMismatchException.class)
                    .satisfies(e -> assertThat(((CheckpointMismatchException) e).mismatches()).hasSize(2))
                    .hasMessageContaining("layers.1.blocks.1.attn_mask (16, 49, 49) differs")
                    .hasMessageContaining("layers.2.blocks.0.attn.relative_position_index (49, 49) differs from the one the model derives"
                            + " (196, 196)");
        }
    }

    /** S3-S runs windows of 14 where S3-T runs 7: S3-T's buffers betray the wrong checkpoint before any weight is read. */
    @Test
    void anotherVariantsCheckpointIsAMismatchListedByName() {
        Variant variant = FAMILY.variant("s3-s");
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> FAMILY.fromOfficial(fixture("s3-t").weights(manager), variant.architecture(), variant.task()))
                    .isInstanceOf(CheckpointMismatchException.class)
                    .satisfies(e -> assertThat(((CheckpointMismatchException) e).mismatches()).hasSize(6))
                    .hasMessageContaining("layers.0.blocks.0.attn.relative_position_index (49, 49) differs from the one the model derives"
                            + " (196, 196)")
                    .hasMessageContaining("layers.0.blocks.1.attn_mask (64, 49, 49) differs from the one the model derives (16, 196, 196)");
        }
    }

    /** No convolution followed by a batch norm, no cached tables: preparing changes nothing (checked on one input). */
    @Override
    protected boolean hasInferenceForm() {
        return false;
    }
}

package dev.creamery.cream;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.Variant;
import dev.creamery.runtime.cli.Creamery;
import dev.creamery.testkit.CommandLineReference;
import dev.creamery.testkit.ReferenceEquivalenceContract;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Official weights give the official logits for every committed input (the fixtures run at 224x224,
 * the networks being fully convolutional), with the official parameter counts and the blocks the
 * official {@code gen_childnet} resolves.
 */
class ReferenceEquivalenceTest extends ReferenceEquivalenceContract {
    private static final CreamFamily FAMILY = new CreamFamily(ReferenceConf.family());

    @Override
    protected ModelFamily family() {
        return FAMILY;
    }

    @Override
    protected CommandLineReference.CommandLine commandLine() {
        return Creamery::execute;
    }

    @TestFactory
    Stream<DynamicTest> blocksAndParameterCountsAreTheOfficialOnes() {
        return variantsWithFixture().stream().map(variant -> DynamicTest.dynamicTest(variant.name(), () -> {
            var fixture = fixture(variant);
            assertThat(blockStrings(variant)).isEqualTo(officialBlockStrings(
                    fixture.spec().getAsJsonObject("config").getAsJsonArray("arch_def_resolved")));
            assertThat(FAMILY.complexity(variant.architecture(), variant.task()).params()).isEqualTo(fixture.params());
        }));
    }

    /** The searchable stages in the official block-string form, e.g. {@code ir_r1_k5_s2_e6_c40_se0.25}. */
    private static List<List<String>> blockStrings(Variant variant) {
        List<List<String>> stages = new ArrayList<>();
        List<List<Op>> blocks = Layout.blocks(variant.architecture());
        for (int i = 0; i < blocks.size(); i++) {
            List<String> stage = new ArrayList<>();
            for (Op op : blocks.get(i)) {
                stage.add("ir_r1_k" + op.kernel() + "_s" + Layout.STRIDES[i] + "_e" + op.expansion() + "_c" + Layout.CHANNELS[i]
                        + "_se0.25");
            }
            stages.add(stage);
        }
        return stages;
    }

    /** The official list without its fixed first ({@code ds}) and last ({@code cn}) stages. */
    private static List<List<String>> officialBlockStrings(JsonArray resolved) {
        List<List<String>> stages = new ArrayList<>();
        for (int i = 1; i < resolved.size() - 1; i++) {
            List<String> stage = new ArrayList<>();
            for (JsonElement block : resolved.get(i).getAsJsonArray()) {
                stage.add(block.getAsString());
            }
            stages.add(stage);
        }
        return stages;
    }
}

package dev.creamery.cdarts;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.creamery.api.ModelFamily;
import dev.creamery.runtime.cli.Creamery;
import dev.creamery.testkit.CommandLineReference;
import dev.creamery.testkit.ReferenceEquivalenceContract;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The official weights of the published cells give the official logits, through {@code creamery
 * predict} too, with the official parameter counts, and the variants' genotypes are the fixtures'.
 */
class ReferenceEquivalenceTest extends ReferenceEquivalenceContract {
    private static final CdartsFamily FAMILY = new CdartsFamily(ReferenceConf.family());

    @Override
    protected ModelFamily family() {
        return FAMILY;
    }

    @Override
    protected CommandLineReference.CommandLine commandLine() {
        return Creamery::execute;
    }

    @TestFactory
    Stream<DynamicTest> genotypesAndParameterCountsAreTheOfficialOnes() {
        return variantsWithFixture().stream().map(variant -> DynamicTest.dynamicTest(variant.name(), () -> {
            var fixture = fixture(variant);
            JsonObject config = fixture.spec().getAsJsonObject("config");
            for (String layer : config.getAsJsonObject("genotypes").keySet()) {
                assertThat(Genotype.of(variant.architecture()))
                        .isEqualTo(Genotype.parse(config.getAsJsonObject("genotypes").get(layer).getAsString()));
            }
            assertThat(variant.architecture().getInt("channels")).isEqualTo(config.get("init_channels").getAsInt());
            assertThat(Layout.of(variant.architecture().getString("layout")).total()).isEqualTo(config.get("total_cells").getAsInt());
            assertThat(FAMILY.complexity(variant.architecture(), variant.task()).params()).isEqualTo(fixture.params());
        }));
    }
}

package dev.creamery.autoformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.creamery.api.ComponentKind;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.Registration;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.Variant;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The plugin registers the S3 space and family, whose reference.conf sections are exactly their settings. */
class S3PluginTest {
    private static final Config REFERENCE = ConfigFactory.parseResources(S3PluginTest.class.getClassLoader(), "reference.conf");

    @Test
    void registersTheS3SpaceAndFamilyFromTheirDefaults() {
        Set<Registration<?>> registrations = Guice.createInjector(new AutoFormerPlugin())
                .getInstance(Key.get(new TypeLiteral<Set<Registration<?>>>() {}));
        Registration<?> space = registrations.stream().filter(r -> r.kind() == ComponentKind.SPACE && r.name().equals("s3")).findFirst()
                .orElseThrow();
        Registration<?> family = registrations.stream().filter(r -> r.kind() == ComponentKind.FAMILY && r.name().equals("s3")).findFirst()
                .orElseThrow();
        Config spaceDefaults = REFERENCE.getConfig("creamery.space.s3");
        SearchSpace built = (SearchSpace) space.create(new S3SpaceSettings(spaceDefaults.getString("preset"), null, null, null, null, null,
                spaceDefaults.getDouble("drop-path-rate")));
        assertThat(built.dimensions().get(0).name()).isEqualTo("stage1.depth");
        ModelFamily models = (ModelFamily) family.create(new S3FamilySettings(REFERENCE.getDouble("creamery.family.s3.drop-path-rate")));
        assertThat(models.variants()).extracting(Variant::name).containsExactly("s3-t", "s3-s", "s3-b");
    }

    @Test
    void referenceConfHoldsExactlyTheSettings() {
        assertThat(REFERENCE.getConfig("creamery.space.s3").root().keySet()).isEqualTo(keys(S3SpaceSettings.class));
        assertThat(REFERENCE.getConfig("creamery.family.s3").root().keySet()).isEqualTo(keys(S3FamilySettings.class));
        for (String list : List.of("depths", "embed-dims", "window-sizes", "mlp-ratios", "num-heads")) {
            assertThat(REFERENCE.getIsNull("creamery.space.s3." + list)).as(list + " defaults to the preset's").isTrue();
        }
    }

    @Test
    void settingsOverrideCandidatesPerStageAndRejectWhatDoesNotFit() {
        S3SpaceSettings narrowed = new S3SpaceSettings("tiny-28", List.of(List.of(2L), List.of(4L, 2L)), null, null, null, null, 0.1);
        assertThat(new S3Space(narrowed).dimensions()).filteredOn(d -> d.name().endsWith(".depth"))
                .extracting(d -> d.candidates().toString()).containsExactly("[2]", "[2, 4]");
        assertThatThrownBy(() -> new S3SpaceSettings("tiny-28", List.of(List.of(2L)), null, null, null, null, 0.1))
                .hasMessage("depths needs one candidate list per stage (2), got 1");
        assertThatThrownBy(() -> new S3SpaceSettings("tiny-28", null, null, null, null, List.of(List.of(2L, 2L), List.of(4L)), 0.1))
                .hasMessage("num-heads of a stage must not repeat a value, got [2, 2]");
        assertThatThrownBy(() -> new S3SpaceSettings("tiny-64", null, null, null, null, null, 0.1))
                .hasMessage("unknown S3 preset 'tiny-64'; known: paper-224, tiny-28, tiny-32");
        assertThatThrownBy(() -> new S3SpaceSettings("tiny-28", null, null, null, null, null, 1.0))
                .hasMessage("drop-path-rate must be in [0, 1), got 1.0");
    }

    private static Set<String> keys(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
                .map(n -> n.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}

package dev.creamery.autoformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creamery.api.ComponentKind;
import dev.creamery.api.Plugin;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.Variant;
import dev.creamery.testkit.Defaults;
import dev.creamery.testkit.PluginContract;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The plugin registers AutoFormer's and S3's spaces and families and the space evolution, with exactly their settings. */
class AutoFormerPluginTest extends PluginContract {
    @Override
    protected Class<? extends Plugin> plugin() {
        return AutoFormerPlugin.class;
    }

    @Override
    protected Set<String> components() {
        return Set.of("space autoformer", "family autoformer", "space s3", "family s3", "strategy space-evolution");
    }

    @Test
    void s3DefaultsAreTheirPresetsOwn() {
        SearchSpace space = Defaults.component(ComponentKind.SPACE, "s3");
        assertThat(space.dimensions().get(0).name()).isEqualTo("stage1.depth");
        assertThat(Defaults.component(ComponentKind.FAMILY, "s3").variants()).extracting(Variant::name).containsExactly("s3-t", "s3-s",
                "s3-b");
        S3SpaceSettings defaults = Defaults.settings(ComponentKind.SPACE, "s3", S3SpaceSettings.class);
        assertThat(defaults.depths()).as("depths default to the preset's").isNull();
        assertThat(defaults.numHeads()).as("num-heads default to the preset's").isNull();
    }

    @Test
    void settingsOverrideCandidatesPerStageAndRejectWhatDoesNotFit() {
        S3SpaceSettings narrowed = new S3SpaceSettings("tiny-28", List.of(List.of(2L), List.of(4L, 2L)), null, null, null, null, null, 0.1);
        assertThat(new S3Space(narrowed).dimensions()).filteredOn(d -> d.name().endsWith(".depth"))
                .extracting(d -> d.candidates().toString()).containsExactly("[2]", "[2, 4]");
        assertThatThrownBy(() -> new S3SpaceSettings("tiny-28", List.of(List.of(2L)), null, null, null, null, null, 0.1))
                .hasMessage("depths needs one candidate list per stage (2), got 1");
        assertThatThrownBy(() -> new S3SpaceSettings("tiny-28", null, null, null, null, List.of(List.of(2L, 2L), List.of(4L)), null, 0.1))
                .hasMessage("num-heads of a stage must not repeat a value, got [2, 2]");
        assertThatThrownBy(() -> new S3SpaceSettings("tiny-64", null, null, null, null, null, null, 0.1))
                .hasMessage("unknown S3 preset 'tiny-64'; known: paper-224, tiny-28, tiny-32");
        assertThatThrownBy(() -> new S3SpaceSettings("tiny-28", null, null, null, null, null, null, 1.0))
                .hasMessage("drop-path-rate must be in [0, 1), got 1.0");
    }
}

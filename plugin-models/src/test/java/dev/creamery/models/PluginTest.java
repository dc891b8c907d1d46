package dev.creamery.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.creamery.api.ComponentKind;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.Plugin;
import dev.creamery.api.StateDict;
import dev.creamery.api.Variant;
import dev.creamery.testkit.Blocks;
import dev.creamery.testkit.Defaults;
import dev.creamery.testkit.PluginContract;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The plugin's registrations, its reference.conf, and what the settings do. */
class PluginTest extends PluginContract {
    @Override
    protected Class<? extends Plugin> plugin() {
        return ModelsPlugin.class;
    }

    @Override
    protected Set<String> components() {
        return Set.of("family efficientvit", "family tinyvit", "family deit", "family minivit");
    }

    @Test
    void familiesListTheirVariantsAndDefaults() {
        assertThat(Defaults.component(ComponentKind.FAMILY, "efficientvit").variants()).extracting(Variant::name).containsExactly(
                "efficientvit-m0", "efficientvit-m1", "efficientvit-m2", "efficientvit-m3", "efficientvit-m4", "efficientvit-m5");
        assertThat(Defaults.component(ComponentKind.FAMILY, "tinyvit").variants()).extracting(Variant::name).containsExactly(
                "tinyvit-5m", "tinyvit-11m", "tinyvit-21m", "tinyvit-21m-384", "tinyvit-21m-512");
        assertThat(Defaults.component(ComponentKind.FAMILY, "deit").variants()).extracting(Variant::name).hasSize(14)
                .startsWith("deit-tiny", "deit-small", "deit-base").contains("irpe-deit-small-patch16-224-bias-product-50-k");
        assertThat(ReferenceConf.efficientVit()).isEqualTo(new EfficientVitSettings(true, 80));
        assertThat(ReferenceConf.tinyVit()).isEqualTo(new TinyVitSettings(true, 64, 0.0));
    }

    @Test
    void settingsRejectValuesOutOfRange() {
        assertThatThrownBy(() -> new EfficientVitSettings(true, 0)).hasMessage("min-input-size must be at least 1, got 0");
        assertThatThrownBy(() -> new TinyVitSettings(true, 64, 1.0)).hasMessage("drop-path-rate must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> new TinyVitSettings(true, 64, -0.1)).hasMessageContaining("drop-path-rate");
    }

    /** The official code starts the norm closing each residual branch at 0; a subsample's depthwise conv is not one of them. */
    @Test
    void zeroInitResidualStartsTheClosingNormsAtZero() {
        for (boolean zero : new boolean[] {true, false}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                checkResidualInit(zero, manager);
            }
        }
    }

    private static void checkResidualInit(boolean zero, NDManager manager) {
        float expected = zero ? 0f : 1f;
        Map<String, Parameter> m0 = initialised(new EfficientVitFamily(new EfficientVitSettings(zero, 80)), "efficientvit-m0",
                manager);
        for (String name : new String[] {"blocks1.0.dw0.m.bn.weight", "blocks1.0.ffn0.m.pw2.bn.weight",
                "blocks1.0.mixer.m.attn.proj.1.bn.weight", "blocks1.0.dw1.m.bn.weight", "blocks2.0.1.m.pw2.bn.weight"}) {
            assertThat(values(m0, name)).as(name).containsOnly(expected);
        }
        assertThat(values(m0, "blocks2.0.0.m.bn.weight")).containsOnly(1f);
        assertThat(values(m0, "blocks1.0.ffn0.m.pw1.bn.weight")).containsOnly(1f);
        Map<String, Parameter> t5 = initialised(new TinyVitFamily(new TinyVitSettings(zero, 64, 0)), "tinyvit-5m", manager);
        assertThat(values(t5, "layers.0.blocks.1.conv3.bn.weight")).containsOnly(expected);
        assertThat(values(t5, "layers.0.blocks.1.conv2.bn.weight")).containsOnly(1f);
        assertThat(values(t5, "layers.1.blocks.0.local_conv.bn.weight")).containsOnly(1f);
    }

    private static Map<String, Parameter> initialised(ModelFamily family, String name, NDManager manager) {
        Variant variant = family.variant(name);
        Block block = Blocks.initialize(family.build(variant.architecture(), variant.task()), manager, variant.task());
        return StateDict.names(block);
    }

    private static float[] values(Map<String, Parameter> parameters, String name) {
        return parameters.get(name).getArray().toFloatArray();
    }
}

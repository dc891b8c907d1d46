package dev.creamery.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.typesafe.config.Config;
import dev.creamery.api.ComponentKind;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.Plugin;
import dev.creamery.api.Registration;
import dev.creamery.api.StateDict;
import dev.creamery.api.Variant;
import dev.creamery.testkit.Blocks;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The plugin's registrations, its reference.conf, and what the settings do. */
class PluginTest {
    @Test
    void serviceLoaderFindsThePluginAndItRegistersBothFamilies() {
        // The runtime, in test scope for the command-line checks, brings its built-in plugin: look at this jar's own.
        assertThat(ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::type)
                .filter(type -> type.getPackageName().equals(ModelsPlugin.class.getPackageName())))
                .containsExactly(ModelsPlugin.class);
        Set<Registration<?>> registrations = Guice.createInjector(new ModelsPlugin())
                .getInstance(Key.get(new TypeLiteral<Set<Registration<?>>>() {}));
        assertThat(registrations).extracting(Registration::name).containsExactlyInAnyOrder("efficientvit", "tinyvit");
        assertThat(registrations).allMatch(r -> r.kind() == ComponentKind.FAMILY);
        Map<String, Registration<?>> byName = registrations.stream().collect(Collectors.toMap(Registration::name, r -> r));
        ModelFamily efficientVit = (ModelFamily) byName.get("efficientvit").create(ReferenceConf.efficientVit());
        ModelFamily tinyVit = (ModelFamily) byName.get("tinyvit").create(ReferenceConf.tinyVit());
        assertThat(efficientVit.variants()).extracting(Variant::name).containsExactly("efficientvit-m0", "efficientvit-m1",
                "efficientvit-m2", "efficientvit-m3", "efficientvit-m4", "efficientvit-m5");
        assertThat(tinyVit.variants()).extracting(Variant::name).containsExactly("tinyvit-5m", "tinyvit-11m", "tinyvit-21m",
                "tinyvit-21m-384", "tinyvit-21m-512");
    }

    @Test
    void referenceConfHoldsExactlyTheSettingsOfEachFamily() {
        assertThat(keys(ReferenceConf.family("efficientvit"))).isEqualTo(components(EfficientVitSettings.class));
        assertThat(keys(ReferenceConf.family("tinyvit"))).isEqualTo(components(TinyVitSettings.class));
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

    private static Set<String> keys(Config config) {
        return config.root().keySet();
    }

    private static Set<String> components(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).map(ReferenceConf::kebab)
                .collect(Collectors.toSet());
    }
}

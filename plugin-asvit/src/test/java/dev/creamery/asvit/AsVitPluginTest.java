package dev.creamery.asvit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.creamery.api.Plugin;
import dev.creamery.api.Registration;
import dev.creamery.api.SearchStrategy;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The plugin registers its components, and reference.conf holds exactly their settings, valid as they are. */
class AsVitPluginTest {
    private static Set<Registration<?>> registrations() {
        Plugin plugin = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p instanceof AsVitPlugin).findFirst().orElseThrow();
        return Guice.createInjector(plugin).getInstance(Key.get(new TypeLiteral<Set<Registration<?>>>() {}));
    }

    @Test
    void registersItsComponents() {
        assertThat(registrations().stream().map(r -> r.kind().key() + " " + r.name()).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("space asvit", "family asvit", "evaluator ntk-condition", "evaluator length-distortion",
                        "evaluator training-free", "strategy reinforce", "strategy grow");
    }

    @Test
    void referenceConfHoldsEverySettingAndTheDefaultsAreValid() throws Exception {
        Config reference = ConfigFactory.parseResources(AsVitPlugin.class, "/reference.conf").resolve();
        for (Registration<?> registration : registrations()) {
            Config config = reference.getConfig("creamery." + registration.kind().key() + "." + registration.name());
            RecordComponent[] components = registration.settingsType().getRecordComponents();
            List<String> keys = new ArrayList<>();
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                RecordComponent component = components[i];
                String key = component.getName().replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
                keys.add(key);
                Class<?> type = component.getType();
                if (type == int.class) {
                    values[i] = config.getInt(key);
                } else if (type == long.class) {
                    values[i] = config.getLong(key);
                } else if (type == double.class) {
                    values[i] = config.getDouble(key);
                } else if (type == String.class) {
                    values[i] = config.getString(key);
                } else if (type == List.class) {
                    values[i] = config.getAnyRefList(key).stream()
                            .map(v -> v instanceof Integer n && component.getGenericType().getTypeName().contains("Double") ? n.doubleValue() : v)
                            .toList();
                } else if (type == SearchStrategy.class) {
                    assertThat(config.getString(key + ".type")).isEqualTo("reinforce");
                    values[i] = new ReinforceSearch(new ReinforceSettings(1, 0.1, 0.9, 0, List.of("a:max"), "value", 2));
                } else if (type == ProgressiveTokenization.class) {
                    assertThat(config.getConfig(key).root().keySet()).containsExactlyInAnyOrder("factors", "fractions");
                    values[i] = new ProgressiveTokenization(config.getIntList(key + ".factors"), config.getDoubleList(key + ".fractions"));
                } else {
                    throw new AssertionError("unexpected setting type " + type + " of " + registration.name());
                }
            }
            assertThat(config.root().keySet()).as(registration.name()).containsExactlyInAnyOrderElementsOf(keys);
            Class<?>[] types = java.util.Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Record settings = (Record) registration.settingsType().getDeclaredConstructor(types).newInstance(values);
            assertThat(((Registration) registration).create(settings)).isInstanceOf(registration.kind().type());
        }
        assertThat(reference.getInt("creamery.strategy.reinforce.steps")).isEqualTo(500);
        assertThat(reference.getDouble("creamery.strategy.reinforce.learning-rate")).isEqualTo(0.08);
        assertThat(reference.getDouble("creamery.strategy.reinforce.ema-momentum")).isEqualTo(0.9);
    }
}

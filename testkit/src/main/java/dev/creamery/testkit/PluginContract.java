package dev.creamery.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.creamery.api.Plugin;
import dev.creamery.api.Registration;
import dev.creamery.wiring.ComponentRegistry;
import dev.creamery.wiring.SettingsBinder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * What every plugin jar must do: be listed for {@link ServiceLoader}, register the components it
 * promises, and carry in its {@code reference.conf} exactly the settings of each, whose defaults
 * (with the few settings only a user can give) bind through the runtime's own binder and build the
 * component.
 */
public abstract class PluginContract {
    /** @return the plugin class under test */
    protected abstract Class<? extends Plugin> plugin();

    /** @return the components it registers, as {@code "kind name"} ({@code "strategy reinforce"}) */
    protected abstract Set<String> components();

    /**
     * Settings that have no default because only the user can give them (the evaluator a wrapper
     * wraps, the folder of a data set): the HOCON the contract adds to build each such component.
     *
     * @return {@code "kind name"} to settings, e.g. {@code "evaluator constraints" -> "inner { type = train }"}
     */
    protected Map<String, String> requiredSettings() {
        return Map.of();
    }

    @Test
    void serviceLoaderFindsThePlugin() {
        assertThat(ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::type).filter(type -> type == plugin()))
                .as("META-INF/services/" + Plugin.class.getName() + " lists " + plugin().getName()).hasSize(1);
    }

    @Test
    void registersItsComponents() {
        assertThat(registrations().stream().map(r -> r.kind().key() + " " + r.name())).containsExactlyInAnyOrderElementsOf(components());
    }

    @TestFactory
    Stream<DynamicTest> referenceConfHoldsExactlyTheSettingsOfEachComponent() {
        return registrations().stream().filter(Registration::hasSettings).map(r -> DynamicTest.dynamicTest(r.kind() + " " + r.name(), () -> {
            Set<String> keys = Arrays.stream(r.settingsType().getRecordComponents()).map(SettingsBinder::key).collect(Collectors.toSet());
            assertThat(Defaults.registry().defaults(r).root().keySet()).as(ComponentRegistry.defaultsPath(r))
                    .containsExactlyInAnyOrderElementsOf(keys);
        }));
    }

    @Test
    void requiredSettingsNameRegisteredComponents() {
        assertThat(components()).containsAll(requiredSettings().keySet());
    }

    @TestFactory
    Stream<DynamicTest> eachComponentBuildsFromItsDefaults() {
        return registrations().stream().map(r -> DynamicTest.dynamicTest(r.kind() + " " + r.name(), () -> {
            SettingsBinder binder = new SettingsBinder(Defaults.registry());
            Config required = ConfigFactory.parseString(requiredSettings().getOrDefault(r.kind() + " " + r.name(), ""));
            Object component = binder.create(r, required, ComponentRegistry.defaultsPath(r));
            assertThat(binder.problems()).isEmpty();
            assertThat(component).isInstanceOf(r.kind().type());
        }));
    }

    private List<Registration<?>> registrations() {
        return Defaults.registry().all().stream().filter(r -> r.plugin() == plugin()).toList();
    }
}

package dev.creamery.wiring;

import com.typesafe.config.Config;
import dev.creamery.api.ComponentKind;
import dev.creamery.api.Components;
import dev.creamery.api.Registration;
import java.util.List;
import java.util.stream.Collectors;

/** {@link Components} over the registry: each component is bound and checked as a job's block is. */
final class RegistryComponents implements Components {
    private final ComponentRegistry registry;

    RegistryComponents(ComponentRegistry registry) {
        this.registry = registry;
    }

    @Override
    public <T> T create(ComponentKind<T> kind, Config settings) {
        SettingsBinder binder = new SettingsBinder(registry);
        T component = binder.component(kind, settings, kind.key());
        if (!binder.problems().isEmpty()) {
            throw new IllegalArgumentException(binder.problems().stream().map(ConfigProblem::toString).collect(Collectors.joining("; ")));
        }
        return component;
    }

    @Override
    public List<String> names(ComponentKind<?> kind) {
        return registry.of(kind).stream().map(Registration::name).toList();
    }
}

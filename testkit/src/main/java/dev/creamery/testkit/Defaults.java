package dev.creamery.testkit;

import com.typesafe.config.ConfigFactory;
import dev.creamery.api.ComponentKind;
import dev.creamery.api.Registration;
import dev.creamery.wiring.ComponentRegistry;
import dev.creamery.wiring.SettingsBinder;

/**
 * Registered components with their defaults, bound from the {@code reference.conf} files on the
 * test class path by the runtime's own binder: what a job gets when it names a component and sets
 * nothing.
 */
public final class Defaults {
    private static ComponentRegistry registry;

    private Defaults() {}

    /** @return the plugins on the test class path, loaded once */
    public static synchronized ComponentRegistry registry() {
        if (registry == null) {
            registry = ComponentRegistry.load(Defaults.class.getClassLoader());
        }
        return registry;
    }

    /**
     * @param kind the kind
     * @param name the registered name
     * @param <T> the component interface
     * @return the component built from its defaults
     * @throws dev.creamery.wiring.InvalidConfigException if its defaults do not bind
     */
    public static <T> T component(ComponentKind<T> kind, String name) {
        SettingsBinder binder = new SettingsBinder(registry());
        T component = binder.create(registration(kind, name), ConfigFactory.empty(), ComponentRegistry.defaultsPath(registration(kind, name)));
        binder.throwIfInvalid();
        return component;
    }

    /**
     * @param kind the kind
     * @param name the registered name
     * @param type its settings record
     * @param <R> the record
     * @return the settings its defaults bind to
     */
    public static <R extends Record> R settings(ComponentKind<?> kind, String name, Class<R> type) {
        Registration<?> registration = registration(kind, name);
        SettingsBinder binder = new SettingsBinder(registry());
        R settings = binder.bind(ConfigFactory.empty(), registry().defaults(registration), type, ComponentRegistry.defaultsPath(registration));
        binder.throwIfInvalid();
        return settings;
    }

    private static <T> Registration<T> registration(ComponentKind<T> kind, String name) {
        return registry().find(kind, name).orElseThrow(() -> new IllegalArgumentException("no " + kind.description() + " '" + name
                + "' is registered on the test class path"));
    }
}

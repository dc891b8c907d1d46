package dev.creamery.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One component a plugin registers: its kind, its name, its settings type and how to make it —
 * a factory given the settings, or a class the runtime builds by injection (its constructor may
 * ask for the settings record and for runtime services such as {@link Components}). Made by
 * {@link Plugin}'s registration methods; the runtime builds the component only when a job asks for
 * it.
 *
 * @param kind the component kind
 * @param name the kebab-case name a job uses as {@code type}
 * @param settingsType the settings record, or null if the component has no settings
 * @param factory makes the component from its settings, or null if {@code implementation} is given
 * @param implementation the class the runtime builds by injection, or null if {@code factory} is given
 * @param plugin the registering plugin's class (its jar is named in errors)
 * @param <T> the component interface
 */
public record Registration<T>(ComponentKind<T> kind, String name, Class<? extends Record> settingsType,
        ComponentFactory<? extends Record, ? extends T> factory, Class<? extends T> implementation, Class<? extends Plugin> plugin) {
    private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    /** Checks the name is kebab-case and exactly one way of making the component is given. */
    public Registration {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(plugin);
        if (name == null || !KEBAB.matcher(name).matches()) {
            throw new IllegalArgumentException(plugin.getName() + " registers " + kind.description() + " '" + name
                    + "': names are kebab-case (lower-case words joined by '-')");
        }
        if ((factory == null) == (implementation == null)) {
            throw new IllegalArgumentException(plugin.getName() + " registers " + kind.description() + " '" + name
                    + "' with " + (factory == null ? "neither" : "both") + " a factory and a class to inject");
        }
    }

    /** @return whether the component has settings (a record with at least one component) */
    public boolean hasSettings() {
        return settingsType != null && settingsType.getRecordComponents().length > 0;
    }
}

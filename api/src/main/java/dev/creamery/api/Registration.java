package dev.creamery.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One component a plugin registers: its kind, its name, its settings type and its factory. Made by
 * {@link Plugin}'s registration methods; the runtime builds the component only when a job asks for it.
 *
 * @param kind the component kind
 * @param name the kebab-case name a job uses as {@code type}
 * @param settingsType the settings record
 * @param factory makes the component from its settings
 * @param plugin the registering plugin's class (its jar is named in errors)
 * @param <T> the component interface
 */
public record Registration<T>(ComponentKind<T> kind, String name, Class<? extends Record> settingsType,
        ComponentFactory<? extends Record, ? extends T> factory, Class<? extends Plugin> plugin) {
    private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    /** Checks the name is kebab-case and nothing is missing. */
    public Registration {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(settingsType);
        Objects.requireNonNull(factory);
        Objects.requireNonNull(plugin);
        if (name == null || !KEBAB.matcher(name).matches()) {
            throw new IllegalArgumentException(plugin.getName() + " registers " + kind.description() + " '" + name
                    + "': names are kebab-case (lower-case words joined by '-')");
        }
    }

    /**
     * @param settings an instance of {@link #settingsType()}
     * @return the component
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public T create(Record settings) {
        if (!settingsType.isInstance(settings)) {
            throw new IllegalArgumentException(name + " needs settings of type " + settingsType.getName()
                    + ", got " + settings.getClass().getName());
        }
        return kind.type().cast(((ComponentFactory) factory).create(settings));
    }

    /** @return where the plugin's classes come from (a jar or a folder), for error messages */
    public String source() {
        var codeSource = plugin.getProtectionDomain().getCodeSource();
        if (codeSource == null || codeSource.getLocation() == null) {
            return plugin.getName();
        }
        String location = codeSource.getLocation().getPath();
        return location.substring(location.lastIndexOf('/', location.length() - 2) + 1);
    }
}

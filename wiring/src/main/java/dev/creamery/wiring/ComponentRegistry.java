package dev.creamery.wiring;

import com.google.inject.ConfigurationException;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.ProvisionException;
import com.google.inject.TypeLiteral;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.creamery.api.ComponentFactory;
import dev.creamery.api.ComponentKind;
import dev.creamery.api.Components;
import dev.creamery.api.Plugin;
import dev.creamery.api.Registration;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Every component the plugins on the class path register, with their defaults. Plugins are found
 * with {@link ServiceLoader} and wired in one Guice injector; the runtime's own components come
 * through the same door.
 */
public final class ComponentRegistry {
    private final Map<String, Registration<?>> registrations;
    private final Config reference;
    private final Injector injector;

    private ComponentRegistry(Map<String, Registration<?>> registrations, Config reference, Injector injector) {
        this.registrations = registrations;
        this.reference = reference;
        this.injector = injector;
    }

    /**
     * Finds and wires the plugins visible to a class loader.
     *
     * @param classLoader where to look for plugins and {@code reference.conf} files
     * @return the registry
     * @throws PluginException if a plugin cannot load, two plugins register the same name, or a
     *     component has settings but no defaults
     */
    public static ComponentRegistry load(ClassLoader classLoader) {
        checkProvidersAreUnique(classLoader);
        List<Plugin> plugins = new ArrayList<>();
        try {
            for (Plugin plugin : ServiceLoader.load(Plugin.class, classLoader)) {
                plugins.add(plugin);
            }
        } catch (ServiceConfigurationError e) {
            throw new PluginException("a plugin on the class path cannot be loaded: " + e.getMessage()
                    + "; remove or rebuild the jar that lists it in META-INF/services/" + Plugin.class.getName(), e);
        }
        Injector injector;
        try {
            injector = Guice.createInjector(plugins);
        } catch (CreationException e) {
            throw new PluginException("plugins cannot be wired: " + e.getMessage(), e);
        }
        Set<Registration<?>> all = injector.getInstance(Key.get(new TypeLiteral<Set<Registration<?>>>() {}));
        Map<String, Registration<?>> byKey = new LinkedHashMap<>();
        List<Registration<?>> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing((Registration<?> r) -> ComponentKind.all().indexOf(r.kind())).thenComparing(Registration::name));
        for (Registration<?> registration : sorted) {
            Registration<?> previous = byKey.putIfAbsent(key(registration.kind(), registration.name()), registration);
            if (previous != null) {
                throw new PluginException(registration.kind().description() + " '" + registration.name()
                        + "' is registered twice: by " + previous.plugin().getName() + " in " + source(previous) + " and by "
                        + registration.plugin().getName() + " in " + source(registration)
                        + "; remove one of the two jars from the class path (or the plugins/ folder)");
            }
        }
        Config reference = ConfigFactory.defaultReference(classLoader);
        for (Registration<?> registration : byKey.values()) {
            if (registration.hasSettings() && !reference.hasPath(defaultsPath(registration))) {
                throw new PluginException(registration.plugin().getName() + " in " + source(registration) + " registers "
                        + registration.kind().description() + " '" + registration.name() + "' but its reference.conf has no "
                        + defaultsPath(registration) + " section with the defaults");
            }
        }
        return new ComponentRegistry(byKey, reference, injector);
    }

    /**
     * The class path keeps only the first of two jars that hold the same plugin class, so a stale
     * copy of a plugin would be shadowed silently; refuse instead, naming both jars.
     */
    private static void checkProvidersAreUnique(ClassLoader classLoader) {
        Map<String, String> providers = new LinkedHashMap<>();
        try {
            var files = classLoader.getResources("META-INF/services/" + Plugin.class.getName());
            while (files.hasMoreElements()) {
                URL file = files.nextElement();
                String jar = jarName(file);
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(file.openStream(), StandardCharsets.UTF_8))) {
                    for (String line : reader.lines().toList()) {
                        String provider = line.replaceAll("#.*", "").trim();
                        if (provider.isEmpty()) {
                            continue;
                        }
                        String previous = providers.putIfAbsent(provider, jar);
                        if (previous != null && !previous.equals(jar)) {
                            throw new PluginException("plugin " + provider + " comes from two jars, " + previous + " and " + jar
                                    + "; remove one of them from the class path (or the plugins/ folder)");
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new PluginException("cannot read the plugin lists on the class path: " + e.getMessage(), e);
        }
    }

    private static String jarName(URL serviceFile) {
        String path = serviceFile.getPath();
        int bang = path.indexOf("!/");
        String location = bang >= 0 ? path.substring(0, bang) : path.substring(0, path.indexOf("/META-INF/"));
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /**
     * @param kind a component kind
     * @param name a component name
     * @param <T> the component interface
     * @return the registration, if any plugin registers that name
     */
    @SuppressWarnings("unchecked")
    public <T> Optional<Registration<T>> find(ComponentKind<T> kind, String name) {
        return Optional.ofNullable((Registration<T>) registrations.get(key(kind, name)));
    }

    /**
     * Makes a component from its bound settings: through its factory, or by injection for a
     * registered class, whose constructor may take the settings record, {@link Components} and what
     * its plugin binds.
     *
     * @param registration the component
     * @param settings its settings (null if it has none)
     * @param <T> the component interface
     * @return the component
     * @throws IllegalArgumentException if the factory or the constructor refuses the settings
     * @throws PluginException if the class cannot be built by injection
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T> T create(Registration<T> registration, Record settings) {
        if (registration.settingsType() != null && !registration.settingsType().isInstance(settings)) {
            throw new IllegalArgumentException(registration.name() + " needs settings of type " + registration.settingsType().getName()
                    + ", got " + (settings == null ? "none" : settings.getClass().getName()));
        }
        if (registration.factory() != null) {
            return registration.kind().type().cast(((ComponentFactory) registration.factory()).create(settings));
        }
        Injector child = injector.createChildInjector(binder -> {
            binder.bind(Components.class).toInstance(new RegistryComponents(this));
            if (settings != null) {
                binder.bind((Class) registration.settingsType()).toInstance(settings);
            }
        });
        try {
            return child.getInstance(registration.implementation());
        } catch (ProvisionException e) {
            if (e.getCause() instanceof IllegalArgumentException refused) {
                throw refused;
            }
            throw new PluginException("cannot build " + registration.kind().description() + " '" + registration.name() + "' ("
                    + registration.implementation().getName() + " in " + source(registration) + "): " + e.getMessage(), e);
        } catch (ConfigurationException e) {
            throw new PluginException("cannot build " + registration.kind().description() + " '" + registration.name() + "' ("
                    + registration.implementation().getName() + " in " + source(registration) + "): " + e.getMessage()
                    + "; give it a constructor annotated @Inject whose parameters are its settings and runtime services", e);
        }
    }

    /**
     * @param registration a component
     * @return where its plugin's classes come from (a jar or a folder), for messages
     */
    public static String source(Registration<?> registration) {
        var codeSource = registration.plugin().getProtectionDomain().getCodeSource();
        if (codeSource == null || codeSource.getLocation() == null) {
            return registration.plugin().getName();
        }
        String location = codeSource.getLocation().getPath();
        return location.substring(location.lastIndexOf('/', location.length() - 2) + 1);
    }

    /**
     * @param key a config key such as {@code strategy}
     * @return the kind with that key, if any
     */
    public static Optional<ComponentKind<?>> kind(String key) {
        return ComponentKind.all().stream().filter(k -> k.key().equals(key)).findFirst();
    }

    /**
     * @param component a component interface, e.g. {@code SearchStrategy.class}
     * @return its kind, if it is one of the kinds
     */
    public static Optional<ComponentKind<?>> kind(Class<?> component) {
        return ComponentKind.all().stream().filter(k -> k.type().equals(component)).findFirst();
    }

    /**
     * @param kind a component kind
     * @return its registrations, sorted by name
     */
    public List<Registration<?>> of(ComponentKind<?> kind) {
        return registrations.values().stream().filter(r -> r.kind() == kind).toList();
    }

    /** @return every registration, by kind then name */
    public List<Registration<?>> all() {
        return List.copyOf(registrations.values());
    }

    /** @return the merged {@code reference.conf} of the class path (unresolved substitutions resolved) */
    public Config reference() {
        return reference;
    }

    /**
     * @param registration a component
     * @return its defaults (empty if it has no settings)
     */
    public Config defaults(Registration<?> registration) {
        String path = defaultsPath(registration);
        return reference.hasPath(path) ? reference.getConfig(path) : ConfigFactory.empty();
    }

    /**
     * @param registration a component
     * @return where its defaults live, {@code creamery.<kind>.<name>}
     */
    public static String defaultsPath(Registration<?> registration) {
        return "creamery." + registration.kind().key() + ".\"" + registration.name() + "\"";
    }

    private static String key(ComponentKind<?> kind, String name) {
        return kind.key() + ":" + name;
    }
}

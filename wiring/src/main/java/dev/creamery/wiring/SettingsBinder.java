package dev.creamery.wiring;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.creamery.api.Bounds;
import dev.creamery.api.ComponentKind;
import dev.creamery.api.ConfigKey;
import dev.creamery.api.Registration;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Binds configuration to settings records and builds components, collecting every problem instead
 * of stopping at the first.
 *
 * <p>A record's defaults are the schema: a key the user sets that is not a record component is an
 * unknown setting (with a "did you mean" suggestion); a value of the wrong type or outside the
 * record constructor's domain is reported at its path with the file and line it came from. Numbers
 * may carry a suffix ({@code 100k}, {@code 5.8M}, {@code 1G}); ranges are two-element lists
 * ({@code [100k, 600k]}, {@code inf} for no upper bound). A record component whose type is a
 * component interface is built from a nested {@code { type = ..., ... }} block.
 */
public final class SettingsBinder {
    private final ComponentRegistry registry;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Map<String, ConfigValue> effective = new LinkedHashMap<>();

    /** @param registry the registered components and their defaults */
    public SettingsBinder(ComponentRegistry registry) {
        this.registry = registry;
    }

    /** @return every problem found so far */
    public List<ConfigProblem> problems() {
        return List.copyOf(problems);
    }

    /** @throws InvalidConfigException if any problem was found */
    public void throwIfInvalid() {
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    /**
     * Records a problem found outside the binder (e.g. a cross-setting rule of a job).
     *
     * @param path the config path
     * @param message what is wrong
     * @param origin where it comes from, or empty
     */
    public void report(String path, String message, String origin) {
        problems.add(new ConfigProblem(path, message, origin));
    }

    /**
     * @return the effective configuration bound so far (user values over defaults), by path, for
     *     writing the resolved config of a run
     */
    public Config effectiveConfig() {
        Config result = ConfigFactory.empty();
        for (Map.Entry<String, ConfigValue> entry : effective.entrySet()) {
            result = result.withValue(entry.getKey(), entry.getValue());
        }
        return result;
    }

    /**
     * Binds a settings record.
     *
     * @param user the user's values (may be empty)
     * @param defaults the defaults, which are also the schema
     * @param type the record class
     * @param path the config path of {@code user}, for messages
     * @param <R> the record type
     * @return the record, or null if there were problems (they are recorded)
     */
    public <R extends Record> R bind(Config user, Config defaults, Class<R> type, String path) {
        RecordComponent[] components = type.getRecordComponents();
        Map<String, RecordComponent> byKey = new LinkedHashMap<>();
        for (RecordComponent component : components) {
            byKey.put(key(component), component);
        }
        int before = problems.size();
        for (String key : new TreeSet<>(user.root().keySet())) {
            if (!byKey.containsKey(key)) {
                report(path + "." + key, "unknown setting '" + key + "' at " + path + Names.suggestion(key, byKey.keySet())
                        + (byKey.isEmpty() ? "; it has no settings" : "; known: " + String.join(", ", byKey.keySet())),
                        origin(user.root().get(key).origin()));
            }
        }
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            String key = key(component);
            // Chosen per key rather than by merging the records: an object merged over a null
            // default would ignore every later fallback, losing the component's own defaults.
            ConfigValue value = user.root().containsKey(key) ? user.root().get(key) : defaults.root().get(key);
            String at = path + "." + key;
            Class<?> raw = component.getType();
            if (ComponentRegistry.kind(raw).isPresent()) {
                values[i] = bindComponent(ComponentRegistry.kind(raw).get(), value, at);
                continue;
            }
            if ((raw.isRecord() && raw != Bounds.class) || builderOf(raw) != null) {
                Config nestedUser = user.root().get(key) instanceof ConfigObject o ? o.toConfig() : ConfigFactory.empty();
                Config nestedDefaults = defaults.root().get(key) instanceof ConfigObject o ? o.toConfig() : ConfigFactory.empty();
                if (value != null && value.valueType() != ConfigValueType.OBJECT && value.valueType() != ConfigValueType.NULL) {
                    report(at, "expected a block { ... }, got " + describe(value), origin(value.origin()));
                    continue;
                }
                if (value == null || value.valueType() == ConfigValueType.NULL) {
                    values[i] = null;
                    continue;
                }
                if (raw.isRecord()) {
                    @SuppressWarnings("unchecked")
                    Class<? extends Record> nested = (Class<? extends Record>) raw;
                    values[i] = bind(nestedUser, nestedDefaults, nested, at);
                } else {
                    values[i] = build(nestedUser, nestedDefaults, raw, at);
                }
                continue;
            }
            if (value == null || value.valueType() == ConfigValueType.NULL) {
                if (raw.isPrimitive()) {
                    report(at, "missing setting '" + key + "' (" + kindOf(raw) + ")", origin(user.root().origin()));
                }
                continue;
            }
            values[i] = convert(value, component.getGenericType(), at);
            if (values[i] != null) {
                effective.put(at, value);
            }
        }
        if (problems.size() > before) {
            return null;
        }
        try {
            Class<?>[] parameterTypes = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Constructor<R> constructor = type.getDeclaredConstructor(parameterTypes);
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            // A record checks its domain by throwing IllegalArgumentException, or by Objects.requireNonNull with a message.
            if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException && cause.getMessage() != null) {
                report(path, cause.getMessage(), origin(user.root().origin()));
                return null;
            }
            throw new IllegalStateException("settings " + type.getName() + " failed at " + path, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct settings " + type.getName(), e);
        }
    }

    /**
     * Builds a component from a {@code { type = name, ... }} block.
     *
     * @param kind the component kind
     * @param section the block
     * @param path its config path
     * @param <T> the component interface
     * @return the component, or null if there were problems (they are recorded)
     */
    public <T> T component(ComponentKind<T> kind, Config section, String path) {
        if (!section.hasPath("type")) {
            report(path, kind.description() + " needs a type; available: " + available(kind), origin(section.root().origin()));
            return null;
        }
        String name;
        try {
            name = section.getString("type");
        } catch (ConfigException.WrongType e) {
            report(path + ".type", "expected a name, got " + section.getValue("type").valueType(), origin(section.getValue("type").origin()));
            return null;
        }
        var registration = registry.find(kind, name);
        if (registration.isEmpty()) {
            report(path + ".type", "unknown " + kind.description() + " '" + name + "'" + suggestion(kind, name) + "; available: "
                    + available(kind) + (kind.elsewhere().isEmpty() ? "" : "; " + kind.elsewhere()), origin(section.getValue("type").origin()));
            return null;
        }
        effective.put(path + ".type", ConfigValueFactory.fromAnyRef(name, "type of " + path));
        return create(registration.get(), section.withoutPath("type"), path);
    }

    /**
     * Binds a registered component's settings (the user's over its defaults) and makes it.
     *
     * @param registration the component
     * @param user the user's settings for it, without {@code type}
     * @param path its config path, for messages
     * @param <T> the component interface
     * @return the component, or null if there were problems (they are recorded)
     */
    public <T> T create(Registration<T> registration, Config user, String path) {
        int before = problems.size();
        Class<? extends Record> type = registration.settingsType() == null ? None.class : registration.settingsType();
        Record settings = bind(user, registry.defaults(registration), type, path);
        if (problems.size() > before) {
            return null;
        }
        try {
            return registry.create(registration, settings instanceof None ? null : settings);
        } catch (IllegalArgumentException e) {
            report(path, e.getMessage(), origin(user.root().origin()));
            return null;
        }
    }

    /**
     * Binds a settings class made by a builder ({@code TrainingSettings}): a class with a public
     * static {@code builder()} whose result has one single-argument method per key (the key in
     * camel case) and {@code build()}. Such a class can gain a setting without breaking code
     * compiled against it, which a record cannot.
     */
    private Object build(Config user, Config defaults, Class<?> type, String path) {
        Method factory = builderOf(type);
        Map<String, Method> setters = new LinkedHashMap<>();
        for (Method method : factory.getReturnType().getMethods()) {
            if (method.getDeclaringClass() == factory.getReturnType() && method.getParameterCount() == 1) {
                setters.put(Names.kebab(method.getName()), method);
            }
        }
        int before = problems.size();
        for (String key : new TreeSet<>(user.root().keySet())) {
            if (!setters.containsKey(key)) {
                report(path + "." + key, "unknown setting '" + key + "' at " + path + Names.suggestion(key, setters.keySet()) + "; known: "
                        + String.join(", ", setters.keySet()), origin(user.root().get(key).origin()));
            }
        }
        try {
            Object builder = factory.invoke(null);
            for (Map.Entry<String, Method> setter : setters.entrySet()) {
                String key = setter.getKey();
                ConfigValue value = user.root().containsKey(key) ? user.root().get(key) : defaults.root().get(key);
                String at = path + "." + key;
                if (value == null || value.valueType() == ConfigValueType.NULL) {
                    report(at, "missing setting '" + key + "'", origin(user.root().origin()));
                    continue;
                }
                Object converted = convert(value, setter.getValue().getGenericParameterTypes()[0], at);
                if (converted != null) {
                    effective.put(at, value);
                    setter.getValue().invoke(builder, converted);
                }
            }
            if (problems.size() > before) {
                return null;
            }
            return factory.getReturnType().getMethod("build").invoke(builder);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException refused) {
                report(path, refused.getMessage(), origin(user.root().origin()));
                return null;
            }
            throw new IllegalStateException("settings " + type.getName() + " failed at " + path, e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build settings " + type.getName(), e);
        }
    }

    /** @return the public static {@code builder()} of a builder-made settings class, or null if it is none */
    private static Method builderOf(Class<?> type) {
        if (type.isPrimitive() || type.isRecord() || type.isEnum() || type.isInterface() || type.getName().startsWith("java.")) {
            return null;
        }
        try {
            Method factory = type.getMethod("builder");
            boolean builds = Modifier.isStatic(factory.getModifiers()) && factory.getReturnType().getMethod("build").getReturnType() == type;
            return builds ? factory : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** The settings of a component that has none: every key is unknown. */
    private record None() {}

    private String suggestion(ComponentKind<?> kind, String name) {
        return Names.suggestion(name, registry.of(kind).stream().map(Registration::name).toList());
    }

    private String available(ComponentKind<?> kind) {
        List<String> names = registry.of(kind).stream().map(Registration::name).toList();
        return names.isEmpty() ? "(none registered)" : String.join(", ", names);
    }

    /**
     * @param component a settings record component
     * @return its config key: the {@link ConfigKey} if it has one, else its name in kebab-case
     */
    public static String key(RecordComponent component) {
        ConfigKey explicit = component.getAnnotation(ConfigKey.class);
        return explicit != null ? explicit.value() : Names.kebab(component.getName());
    }

    private Object bindComponent(ComponentKind<?> kind, ConfigValue value, String at) {
        if (value == null || value.valueType() == ConfigValueType.NULL) {
            return null;
        }
        if (value.valueType() != ConfigValueType.OBJECT) {
            report(at, "expected a block { type = ... }, got " + describe(value), origin(value.origin()));
            return null;
        }
        return component(kind, ((ConfigObject) value).toConfig(), at);
    }

    private Object convert(ConfigValue value, Type type, String at) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        try {
            if (raw == boolean.class || raw == Boolean.class) {
                if (value.valueType() != ConfigValueType.BOOLEAN) {
                    throw new IllegalArgumentException("expected true or false, got " + describe(value));
                }
                return value.unwrapped();
            }
            if (raw == int.class || raw == Integer.class) {
                return Math.toIntExact(wholeNumber(value));
            }
            if (raw == long.class || raw == Long.class) {
                return wholeNumber(value);
            }
            if (raw == double.class || raw == Double.class) {
                return number(value);
            }
            if (raw == String.class) {
                if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
                    throw new IllegalArgumentException("expected a string, got " + describe(value));
                }
                return String.valueOf(value.unwrapped());
            }
            if (raw == Path.class) {
                if (value.valueType() != ConfigValueType.STRING) {
                    throw new IllegalArgumentException("expected a path, got " + describe(value));
                }
                return Path.of((String) value.unwrapped());
            }
            if (raw == Duration.class) {
                return ConfigFactory.empty().withValue("d", value).getDuration("d");
            }
            if (raw.isEnum()) {
                return enumConstant(raw, value);
            }
            if (raw == Bounds.class) {
                if (!(value instanceof ConfigList list) || list.size() != 2) {
                    throw new IllegalArgumentException("expected [min, max], got " + describe(value));
                }
                long max = list.get(1).valueType() == ConfigValueType.STRING && "inf".equals(list.get(1).unwrapped())
                        ? Long.MAX_VALUE : wholeNumber(list.get(1));
                return new Bounds(wholeNumber(list.get(0)), max);
            }
            if (raw == List.class && type instanceof ParameterizedType p) {
                if (!(value instanceof ConfigList list)) {
                    throw new IllegalArgumentException("expected a list [...], got " + describe(value));
                }
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    items.add(convert(list.get(i), p.getActualTypeArguments()[0], at + "[" + i + "]"));
                }
                // An item that did not bind has its problem recorded already.
                return items.contains(null) ? null : List.copyOf(items);
            }
            if (raw.isRecord() && raw != Bounds.class) {
                if (!(value instanceof ConfigObject object)) {
                    throw new IllegalArgumentException("expected a block { ... }, got " + describe(value));
                }
                @SuppressWarnings("unchecked")
                Class<? extends Record> element = (Class<? extends Record>) raw;
                // The settings in force record the whole list at its own path, not each item's fields.
                Set<String> recorded = new HashSet<>(effective.keySet());
                Record bound = bind(object.toConfig(), ConfigFactory.empty(), element, at);
                effective.keySet().retainAll(recorded);
                return bound;
            }
            if (raw == Config.class) {
                if (!(value instanceof ConfigObject object)) {
                    throw new IllegalArgumentException("expected a block { ... }, got " + describe(value));
                }
                return object.toConfig();
            }
        } catch (IllegalArgumentException | ArithmeticException | ConfigException e) {
            report(at, e.getMessage(), origin(value.origin()));
            return null;
        }
        throw new IllegalStateException("settings type " + type + " at " + at + " is not supported by the binder");
    }

    private static Object enumConstant(Class<?> type, ConfigValue value) {
        if (value.valueType() != ConfigValueType.STRING) {
            throw new IllegalArgumentException("expected one of " + enumNames(type) + ", got " + describe(value));
        }
        String text = (String) value.unwrapped();
        for (Object constant : type.getEnumConstants()) {
            if (Names.kebabConstant(((Enum<?>) constant).name()).equals(text)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not one of " + enumNames(type) + Names.suggestion(text, enumNames(type)));
    }

    private static List<String> enumNames(Class<?> type) {
        return Arrays.stream(type.getEnumConstants()).map(c -> Names.kebabConstant(((Enum<?>) c).name())).toList();
    }

    private static long wholeNumber(ConfigValue value) {
        double number = number(value);
        if (number != Math.rint(number) || Math.abs(number) > 9e18) {
            throw new IllegalArgumentException("expected a whole number, got " + describe(value));
        }
        return (long) number;
    }

    /**
     * @param value a number, or a string like {@code 100k}, {@code 5.8M}, {@code 1G}
     * @return its value
     */
    static double number(ConfigValue value) {
        if (value.valueType() == ConfigValueType.NUMBER) {
            return ((Number) value.unwrapped()).doubleValue();
        }
        if (value.valueType() == ConfigValueType.STRING) {
            String text = ((String) value.unwrapped()).trim();
            double scale = 1;
            char last = text.isEmpty() ? ' ' : text.charAt(text.length() - 1);
            switch (last) {
                case 'k', 'K' -> scale = 1e3;
                case 'M' -> scale = 1e6;
                case 'G' -> scale = 1e9;
                default -> scale = 1;
            }
            String digits = scale == 1 ? text : text.substring(0, text.length() - 1);
            try {
                return Math.rint(Double.parseDouble(digits) * scale * 1e6) / 1e6;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a number (suffixes k, M, G allowed), got '" + text + "'");
            }
        }
        throw new IllegalArgumentException("expected a number, got " + describe(value));
    }

    private static String kindOf(Class<?> type) {
        if (type == boolean.class) {
            return "true or false";
        }
        return type == double.class ? "a number" : "a whole number";
    }

    private static String describe(ConfigValue value) {
        return switch (value.valueType()) {
            case OBJECT -> "a block { ... }";
            case LIST -> "a list " + value.render();
            case STRING -> "'" + value.unwrapped() + "'";
            default -> value.render();
        };
    }

    /**
     * @param origin a value's origin
     * @return {@code file:line}, {@code --set}, or empty
     */
    public static String origin(ConfigOrigin origin) {
        if (origin == null) {
            return "";
        }
        if (origin.filename() != null) {
            String file = Path.of(origin.filename()).getFileName().toString();
            return origin.lineNumber() > 0 ? file + ":" + origin.lineNumber() : file;
        }
        String description = origin.description();
        if (description.contains("--set")) {
            return "--set";
        }
        if (description.contains("reference.conf")) {
            return "reference.conf";
        }
        return "";
    }
}

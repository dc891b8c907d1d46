package dev.creamery.models;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/** Binds a family's settings from the plugin's reference.conf the way the runtime does: kebab-case keys to record components. */
final class ReferenceConf {
    private ReferenceConf() {}

    static Config family(String name) {
        return ConfigFactory.parseResources(ReferenceConf.class.getClassLoader(), "reference.conf")
                .getConfig("creamery.family." + name);
    }

    static EfficientVitSettings efficientVit() {
        return bind(EfficientVitSettings.class, family("efficientvit"));
    }

    static TinyVitSettings tinyVit() {
        return bind(TinyVitSettings.class, family("tinyvit"));
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    static <R extends Record> R bind(Class<R> type, Config config) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            String key = kebab(components[i].getName());
            Class<?> t = components[i].getType();
            if (t == boolean.class) {
                values[i] = config.getBoolean(key);
            } else if (t == int.class) {
                values[i] = config.getInt(key);
            } else if (t == double.class) {
                values[i] = config.getDouble(key);
            } else {
                throw new IllegalArgumentException("no binding for " + t + " of " + key);
            }
        }
        try {
            return type.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new))
                    .newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}

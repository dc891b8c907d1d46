package dev.creamery.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a settings record component an explicit config key, for keys that cannot be Java names
 * ({@code finalize}); otherwise the key is the component name in kebab-case.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface ConfigKey {
    /** @return the config key */
    String value();
}

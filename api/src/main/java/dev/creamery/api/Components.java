package dev.creamery.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;

/**
 * The components every plugin on the class path registers, for a component that builds others by
 * name — an evaluator that builds on the built-in {@code one-shot}, a strategy that runs another
 * inside it, a data set read by name. Ask for it by injection: register the component's class
 * ({@link Plugin#register}) and take {@code Components} as a constructor parameter.
 */
public interface Components {
    /**
     * Builds a component as a job's block would: {@code settings} names it by {@code type} and
     * overrides its defaults from its jar's {@code reference.conf}.
     *
     * @param kind the kind
     * @param settings {@code { type = name, ... }}
     * @param <T> the component interface
     * @return the component
     * @throws IllegalArgumentException listing every problem with the settings (unknown type or
     *     key, wrong type, value out of range)
     */
    <T> T create(ComponentKind<T> kind, Config settings);

    /**
     * Builds a component with its defaults.
     *
     * @param kind the kind
     * @param name its registered name
     * @param <T> the component interface
     * @return the component
     * @throws IllegalArgumentException if nothing of that kind has that name
     */
    default <T> T create(ComponentKind<T> kind, String name) {
        return create(kind, ConfigFactory.empty().withValue("type", ConfigValueFactory.fromAnyRef(name)));
    }

    /**
     * @param kind a kind
     * @return the names registered for it, sorted
     */
    List<String> names(ComponentKind<?> kind);
}

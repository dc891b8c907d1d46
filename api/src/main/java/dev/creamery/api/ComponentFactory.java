package dev.creamery.api;

/**
 * Makes a component from its settings. The settings arrive as an immutable record, already bound
 * from the job's config merged over the plugin's {@code reference.conf} defaults; the record's
 * constructor checks the domain rules (throw {@link IllegalArgumentException} with a message naming
 * the setting). A record component whose type is a component interface ({@code SearchStrategy},
 * {@code Evaluator}, ...) holds a nested component built from its own {@code type} and settings.
 *
 * @param <S> the settings record
 * @param <T> the component
 */
@FunctionalInterface
public interface ComponentFactory<S extends Record, T> {
    /**
     * @param settings the validated settings
     * @return the component
     */
    T create(S settings);
}

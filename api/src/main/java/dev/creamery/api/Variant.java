package dev.creamery.api;

/**
 * A published member of a {@link ModelFamily}, e.g. {@code tinyvit-5m}.
 *
 * @param name the variant name, {@code family-size} (with a resolution suffix if there are several)
 * @param architecture what the family builds for it
 * @param task the input shape and classes of the published model (usually 3x224x224, 1000 classes)
 * @param description one line for {@code creamery models}
 */
public record Variant(String name, Architecture architecture, Task task, String description) {}

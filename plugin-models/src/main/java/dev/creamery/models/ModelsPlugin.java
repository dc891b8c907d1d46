package dev.creamery.models;

import dev.creamery.api.Plugin;

/** Registers the model families of the Cream papers: {@code efficientvit} and {@code tinyvit}. */
public final class ModelsPlugin extends Plugin {
    @Override
    protected void configure() {
        family("efficientvit", EfficientVitSettings.class, EfficientVitFamily::new);
        family("tinyvit", TinyVitSettings.class, TinyVitFamily::new);
    }
}

package dev.creamery.models;

import dev.creamery.api.Plugin;

/**
 * Registers the model families of the Cream papers: {@code efficientvit}, {@code tinyvit}, {@code deit}
 * (with iRPE) and {@code minivit}.
 */
public final class ModelsPlugin extends Plugin {
    @Override
    protected void configure() {
        family("efficientvit", EfficientVitSettings.class, EfficientVitFamily::new);
        family("tinyvit", TinyVitSettings.class, TinyVitFamily::new);
        family("deit", DeitSettings.class, DeitFamily::new);
        family("minivit", DeitSettings.class, MiniVitFamily::new);
    }
}

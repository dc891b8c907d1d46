package dev.creamery.asvit;

/**
 * Settings of the {@code asvit} family and space: how their networks train.
 *
 * @param progressiveTokenization coarse tokens in early epochs ({@link ProgressiveTokenization})
 */
public record AsVitSettings(ProgressiveTokenization progressiveTokenization) {
    /** The defaults: full tokens throughout. */
    public static final AsVitSettings DEFAULTS = new AsVitSettings(ProgressiveTokenization.OFF);
}

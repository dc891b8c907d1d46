package dev.creamery.cream;

import dev.creamery.api.Plugin;

/**
 * Cream ("Cream of the Crop: Distilling Prioritized Paths For One-Shot Neural Architecture Search",
 * NeurIPS 2020): the {@code cream} space with its one-shot supernet, and the {@code cream} family of
 * retrained child networks.
 */
public final class CreamPlugin extends Plugin {
    @Override
    protected void configure() {
        space("cream", CreamSpaceSettings.class, CreamSpace::new);
        family("cream", CreamSettings.class, CreamFamily::new);
    }
}

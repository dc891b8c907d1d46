package dev.creamery.autoformer;

import dev.creamery.api.Plugin;

/**
 * Registers AutoFormer (Chen et al., ICCV 2021) and AutoFormerV2 / S3 (Chen et al., NeurIPS 2021):
 * the weight-entangled ViT supernet space and family, the hierarchical S3 space and family, and the
 * search-space search strategy.
 */
public final class AutoFormerPlugin extends Plugin {
    @Override
    protected void configure() {
    }
}

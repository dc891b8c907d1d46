package dev.creamery.autoformer;

import dev.creamery.api.Plugin;

/**
 * Registers AutoFormer (Chen et al., ICCV 2021) and AutoFormerV2 / S3 (Chen et al., NeurIPS 2021):
 * the weight-entangled ViT supernet space and its family of standalone subnets, the hierarchical S3
 * space and family, and the search-space search.
 */
public final class AutoFormerPlugin extends Plugin {
    @Override
    protected void configure() {
        space("autoformer", AutoFormerSpaceSettings.class, AutoFormerSpace::new);
        family("autoformer", AutoFormerFamilySettings.class, AutoFormerFamily::new);
        space("s3", S3SpaceSettings.class, S3Space::new);
        family("s3", S3FamilySettings.class, S3Family::new);
        strategy("space-evolution", SpaceEvolutionSettings.class, SpaceEvolution::new);
    }
}

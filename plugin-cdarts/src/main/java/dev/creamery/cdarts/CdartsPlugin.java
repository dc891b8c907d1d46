package dev.creamery.cdarts;

import dev.creamery.api.Plugin;

/**
 * CDARTS ("Cyclic Differentiable Architecture Search", TPAMI 2022): the {@code darts} cell space with
 * its relaxed search network, the {@code cdarts} strategy (the cyclic search with introspective
 * distillation) and the {@code darts} strategy (first-order DARTS, the same loop without the cycle),
 * and the {@code cdarts} family of evaluation networks built from DARTS genotypes, with the published
 * CIFAR-10 and ImageNet cells.
 */
public final class CdartsPlugin extends Plugin {
    @Override
    protected void configure() {
        family("cdarts", CdartsSettings.class, CdartsFamily::new);
        space("darts", DartsSpaceSettings.class, DartsSpace::new);
        strategy("cdarts", CdartsSearchSettings.class, DifferentiableSearch::cdarts);
        strategy("darts", DartsSearchSettings.class, DifferentiableSearch::darts);
    }
}

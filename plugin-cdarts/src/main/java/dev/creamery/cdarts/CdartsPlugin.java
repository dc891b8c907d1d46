package dev.creamery.cdarts;

import dev.creamery.api.Plugin;

/**
 * CDARTS ("Cyclic Differentiable Architecture Search", TPAMI 2022): the {@code cdarts} family of
 * evaluation networks built from DARTS genotypes, with the published CIFAR-10 and ImageNet cells.
 */
public final class CdartsPlugin extends Plugin {
    @Override
    protected void configure() {
        family("cdarts", CdartsSettings.class, CdartsFamily::new);
    }
}

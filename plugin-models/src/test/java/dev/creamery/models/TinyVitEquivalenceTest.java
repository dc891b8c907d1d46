package dev.creamery.models;

import dev.creamery.api.ModelFamily;
import dev.creamery.runtime.cli.Creamery;
import dev.creamery.testkit.CommandLineReference;
import dev.creamery.testkit.ReferenceEquivalenceContract;

/**
 * Every TinyViT variant with a reference fixture (the three 224 variants; the 384 and 512 ones have none) gives the
 * official logits for every committed input. The family is built from its defaults in {@code reference.conf}, as
 * {@code creamery predict} builds it.
 */
class TinyVitEquivalenceTest extends ReferenceEquivalenceContract {
    @Override
    protected ModelFamily family() {
        return new TinyVitFamily(ReferenceConf.tinyVit());
    }

    @Override
    protected CommandLineReference.CommandLine commandLine() {
        return Creamery::execute;
    }
}

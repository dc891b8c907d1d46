package dev.creamery.models;

import dev.creamery.api.ModelFamily;
import dev.creamery.api.Variant;
import dev.creamery.runtime.cli.Creamery;
import dev.creamery.testkit.CommandLineReference;
import dev.creamery.testkit.ReferenceEquivalenceContract;

/**
 * Every EfficientViT variant with a reference fixture gives the official logits for every committed input. The
 * family is built from its defaults in {@code reference.conf}, as {@code creamery predict} builds it.
 */
class EfficientVitEquivalenceTest extends ReferenceEquivalenceContract {
    @Override
    protected ModelFamily family() {
        return new EfficientVitFamily(ReferenceConf.efficientVit());
    }

    /**
     * EfficientViT's float32 logits are chaotic (docs/models.md): on a 2-core AMD EPYC the official code's own float32
     * logits for M4's fixture input are 0.147 from the fixture's, beyond 3x its recorded float32 error (0.134), and its
     * float32-vs-float64 error there is 0.104 against the 0.0448 the fixture records. Ten times leaves room for that
     * spread; a wrong layer moves these logits by whole units, and the float64 check stays at 1e-9.
     */
    @Override
    protected double float32ErrorFactor(Variant variant) {
        return 10;
    }

    @Override
    protected CommandLineReference.CommandLine commandLine() {
        return Creamery::execute;
    }
}

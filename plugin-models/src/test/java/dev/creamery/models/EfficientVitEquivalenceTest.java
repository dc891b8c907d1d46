package dev.creamery.models;

import dev.creamery.api.ModelFamily;
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

    /** The official loader keeps BatchNorm's step counters and the attention-bias index tables; the blocks derive them. */
    @Override
    protected boolean isDerivedBuffer(String officialName) {
        return officialName.endsWith(".num_batches_tracked") || officialName.endsWith(".attention_bias_idxs");
    }

    @Override
    protected CommandLineReference.CommandLine commandLine() {
        return Creamery::execute;
    }
}

package dev.creamery.models;

import dev.creamery.api.ModelFamily;
import dev.creamery.api.Variant;
import dev.creamery.runtime.cli.Creamery;
import dev.creamery.testkit.CommandLineReference;
import dev.creamery.testkit.ReferenceEquivalenceContract;

/**
 * Every DeiT variant with a reference fixture (deit-tiny, deit-small and the eleven iRPE
 * configurations; deit-base has none) gives the official logits for every committed input. The family
 * is built from its defaults in {@code reference.conf}, as {@code creamery predict} builds it. The
 * official state_dict holds no derived buffer: iRPE recomputes its bucket ids.
 */
class DeitEquivalenceTest extends ReferenceEquivalenceContract {
    @Override
    protected ModelFamily family() {
        return new DeitFamily(ReferenceConf.deit());
    }

    /** The base-sized ones take a while on two cores. */
    @Override
    protected boolean isSlow(Variant variant) {
        return variant.name().contains("base") || variant.name().contains("small");
    }

    @Override
    protected CommandLineReference.CommandLine commandLine() {
        return Creamery::execute;
    }

    /** No convolution followed by a batch norm, no cached tables: preparing changes nothing (checked on one input). */
    @Override
    protected boolean hasInferenceForm() {
        return false;
    }
}

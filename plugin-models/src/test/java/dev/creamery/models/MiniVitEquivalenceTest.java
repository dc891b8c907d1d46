package dev.creamery.models;

import dev.creamery.api.ModelFamily;
import dev.creamery.api.Variant;
import dev.creamery.runtime.cli.Creamery;
import dev.creamery.testkit.CommandLineReference;
import dev.creamery.testkit.ReferenceEquivalenceContract;

/**
 * Mini-DeiT-Ti, -S and -B give the official logits for every committed input: the multiplexed blocks
 * (six blocks, two uses each, shared projections), the per-use norms, iRPE tables and head
 * transformations, mean pooling without a class token.
 */
class MiniVitEquivalenceTest extends ReferenceEquivalenceContract {
    @Override
    protected ModelFamily family() {
        return new MiniVitFamily(ReferenceConf.miniVit());
    }

    /** The base-sized one takes a while on two cores. */
    @Override
    protected boolean isSlow(Variant variant) {
        return !variant.name().equals("mini-deit-tiny");
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

package dev.creamery.api.nn;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Adds up multiply-accumulates while a {@link Module} traces shapes through itself, and notes the
 * convolutions it meets. The kit's layers count the convention behind the papers' tables:
 * convolutions and linear layers (and attention counts its two products); norms (foldable into the
 * preceding layer), activations, softmax and residual additions cost nothing. A family whose paper
 * counts more (a profiler that also counts bias additions or pooling) adds that in its own trace.
 */
public final class Macs {
    private long total;
    private final Set<ConvolutionShape> convolutions = new LinkedHashSet<>();

    /** @param macs multiply-accumulates to add */
    public void add(long macs) {
        total = Math.addExact(total, macs);
    }

    /**
     * Adds a convolution's multiply-accumulates for a batch and notes its shape.
     *
     * @param shape the convolution
     * @param batch images in the batch
     * @param outputPixels output rows times columns
     */
    public void convolution(ConvolutionShape shape, long batch, long outputPixels) {
        convolutions.add(shape);
        add(batch * shape.out() * (shape.in() / shape.groups()) * shape.kernel() * shape.kernel() * outputPixels);
    }

    /** @return the sum so far */
    public long total() {
        return total;
    }

    /** @return the distinct convolutions met so far, in trace order */
    public Set<ConvolutionShape> convolutions() {
        return Collections.unmodifiableSet(convolutions);
    }
}

package dev.creamery.api;

/** The names of the metrics every part of Creamery agrees on. Accuracies are fractions in [0, 1]. */
public final class Metrics {
    /** Top-1 accuracy on the validation split: what searches rank by. */
    public static final String ACCURACY = "accuracy";
    /** Mean cross-entropy on the validation split. */
    public static final String LOSS = "loss";
    /** Top-1 accuracy on the test split (reported for the final model only). */
    public static final String TEST_ACCURACY = "test_accuracy";
    /** Learnable parameters. */
    public static final String PARAMS = "params";
    /** Multiply-accumulates of one forward pass of one image. */
    public static final String FLOPS = "flops";
    /**
     * Milliseconds of one forward pass of one image through the member's standalone network on the
     * job's device, measured by the runtime (median of timed runs after warm-up) when an objective
     * names it.
     */
    public static final String LATENCY_MS = "latency-ms";

    private Metrics() {}
}

package dev.creamery.cdarts;

import java.util.Locale;

/**
 * Settings shared by the {@code darts} and {@code cdarts} strategies: the data the search network
 * takes per step, and its two optimizers.
 */
public final class SearchSettings {
    private SearchSettings() {}

    /**
     * The search network's weights: SGD with momentum on the first half of the training split, the
     * learning rate following a cosine from {@code lr} to {@code min-lr} over the search.
     *
     * @param lr the learning rate at the start
     * @param minLr the learning rate at the end ({@code lr} keeps it constant)
     * @param momentum SGD momentum
     * @param weightDecay L2 weight decay
     * @param clipGradNorm every gradient's global norm is clipped to this before a step
     */
    public record Weights(double lr, double minLr, double momentum, double weightDecay, double clipGradNorm) {
        /** Checks the domains. */
        public Weights {
            positive("lr", lr);
            if (!(minLr >= 0 && minLr <= lr)) {
                throw new IllegalArgumentException("min-lr must be in [0, lr], got " + minLr);
            }
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
            }
            nonNegative("weight-decay", weightDecay);
            positive("clip-grad-norm", clipGradNorm);
        }

        /** @return the learning rate after {@code done} of {@code total} search epochs */
        double at(int done, int total) {
            double progress = total == 0 ? 0 : (double) done / total;
            return minLr + (lr - minLr) * (1 + Math.cos(Math.PI * progress)) / 2;
        }
    }

    /**
     * The architecture parameters: Adam with betas (0.5, 0.999) on the second half of the training split.
     *
     * @param lr the learning rate
     * @param weightDecay L2 weight decay
     */
    public record Alpha(double lr, double weightDecay) {
        /** Checks the domains. */
        public Alpha {
            positive("lr", lr);
            nonNegative("weight-decay", weightDecay);
        }
    }

    static void positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be positive, got " + format(value));
        }
    }

    static void nonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be at least 0, got " + format(value));
        }
    }

    static void atLeast(String name, int value, int least) {
        if (value < least) {
            throw new IllegalArgumentException(name + " must be at least " + least + ", got " + value);
        }
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%s", value);
    }
}

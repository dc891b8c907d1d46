package dev.creamery.api;

/**
 * The size of a network, counted analytically.
 *
 * @param params learnable parameters (as the official PyTorch code counts them)
 * @param flops multiply-accumulate operations of one forward pass of one image
 */
public record Complexity(long params, long flops) {
    /** Checks both counts are non-negative. */
    public Complexity {
        if (params < 0 || flops < 0) {
            throw new IllegalArgumentException("negative complexity: params=" + params + " flops=" + flops);
        }
    }

    /**
     * @param n a count
     * @return it in a short human form: {@code 5.87M}, {@code 1.26G}, {@code 412k}
     */
    public static String human(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(java.util.Locale.ROOT, "%.2fG", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(java.util.Locale.ROOT, "%.2fM", n / 1e6);
        }
        if (n >= 10_000L) {
            return String.format(java.util.Locale.ROOT, "%.1fk", n / 1e3);
        }
        return Long.toString(n);
    }

    @Override
    public String toString() {
        return human(params) + " params, " + human(flops) + " FLOPs";
    }
}

package dev.creamery.api.nn;

/**
 * iRPE as a component's HOCON block gives it, {@code rpe { method = product, mode = contextual, ratio = 1.9,
 * shared-head = true, on = k }}: the arguments of the official {@code get_rpe_config}, each left null
 * taking its default there (product, contextual, 1.9, shared across heads, on the keys). A component
 * that takes it (a space's attentions, say) supplies the skip tokens, which its network knows.
 *
 * @param method {@code euc}, {@code quant}, {@code cross} or {@code product}, or null
 * @param mode {@code bias} or {@code contextual} ({@code ctx}), or null
 * @param ratio the piecewise index function's scale, or null
 * @param sharedHead one table for all heads, or null
 * @param on any of {@code q}, {@code k}, {@code v}, or null
 */
public record RpeSettings(String method, String mode, Double ratio, Boolean sharedHead, String on) {
    /** Checks the settings as {@link RpeConfig} does, so a bad block is reported where it is written. */
    public RpeSettings {
        resolve(method, mode, ratio, sharedHead, on, 0);
    }

    /**
     * @param skip the tokens before the patch grid
     * @return the configuration
     */
    public RpeConfig config(int skip) {
        return resolve(method, mode, ratio, sharedHead, on, skip);
    }

    // Static, so that the compact constructor can check the values before its fields are set.
    private static RpeConfig resolve(String method, String mode, Double ratio, Boolean sharedHead, String on, int skip) {
        return RpeConfig.of(ratio == null ? 1.9 : ratio, method == null ? "product" : method, mode == null ? "contextual" : mode,
                sharedHead == null || sharedHead, skip, on == null ? "k" : on);
    }
}

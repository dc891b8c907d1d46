package dev.creamery.asvit;

import java.util.List;

/**
 * As-ViT's progressive re-tokenization (paper, Sec. 3.5): train first on coarse tokens, then on the
 * full token count. In a phase of factor {@code f} the patch embedding runs with {@code f} times its
 * stride and a dilation of {@code f} (the same kernel weights, spread over an {@code f} times wider
 * window), so every stage sees {@code 1/f²} of its tokens; windows keep their count per side and
 * shrink with the grid. No parameter changes shape, so training moves between phases without any
 * conversion, and evaluation always uses the full tokens.
 *
 * @param factors coarseness of each phase, coarsest first (each at least 2); empty turns it off
 * @param fractions the share of the epochs each phase lasts; the epochs after the last phase use the
 *     full tokens, so the shares add up to less than 1
 */
public record ProgressiveTokenization(List<Integer> factors, List<Double> fractions) {
    /** No coarse phase. */
    public static final ProgressiveTokenization OFF = new ProgressiveTokenization(List.of(), List.of());

    /** Checks the phases pair up, get finer and leave epochs for the full tokens. */
    public ProgressiveTokenization {
        factors = List.copyOf(factors);
        fractions = List.copyOf(fractions);
        if (factors.size() != fractions.size()) {
            throw new IllegalArgumentException("progressive-tokenization needs one fraction per factor, got factors " + factors
                    + " and fractions " + fractions);
        }
        double total = 0;
        for (int i = 0; i < factors.size(); i++) {
            if (factors.get(i) < 2 || (i > 0 && factors.get(i) >= factors.get(i - 1))) {
                throw new IllegalArgumentException("progressive-tokenization factors must be at least 2 and decrease (coarsest "
                        + "first), got " + factors);
            }
            if (!(fractions.get(i) > 0)) {
                throw new IllegalArgumentException("progressive-tokenization fractions must be > 0, got " + fractions);
            }
            total += fractions.get(i);
        }
        if (total >= 1) {
            throw new IllegalArgumentException("progressive-tokenization fractions " + fractions + " add up to " + total
                    + "; they must leave some epochs (less than 1 in all) for the full tokens");
        }
    }

    /**
     * @param epoch the epoch about to run, from 1
     * @param epochs the epochs of the schedule
     * @return the tokenisation factor of that epoch (1: full tokens); phase {@code i} ends after
     *     epoch {@code round(epochs * (fractions[0] + ... + fractions[i]))}
     */
    public int factor(int epoch, int epochs) {
        double end = 0;
        for (int i = 0; i < factors.size(); i++) {
            end += fractions.get(i);
            if (epoch <= Math.round(epochs * end)) {
                return factors.get(i);
            }
        }
        return 1;
    }
}

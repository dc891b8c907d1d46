package dev.creamery.runtime.report;

import java.util.Arrays;
import java.util.Comparator;

/**
 * How alike two scorings of the same items rank them: Kendall's tau-b (ties in either scoring
 * count as neither concordant nor discordant, and shrink the denominator, as scipy's default
 * {@code kendalltau}) and Spearman's rho (Pearson correlation of ranks, ties given their mean rank).
 *
 * @param n the number of items
 * @param kendallTau Kendall's tau-b in [-1, 1]
 * @param spearmanRho Spearman's rho in [-1, 1]
 * @param pValue two-sided p-value of tau against no association (normal approximation, no tie correction)
 */
public record RankCorrelation(int n, double kendallTau, double spearmanRho, double pValue) {
    /**
     * @param x one score per item
     * @param y the other score per item, in the same order
     * @return their rank correlations (NaN where a scoring is constant)
     * @throws IllegalArgumentException if the lengths differ or there are fewer than two items
     */
    public static RankCorrelation of(double[] x, double[] y) {
        if (x.length != y.length || x.length < 2) {
            throw new IllegalArgumentException("rank correlation needs two scorings of the same two or more items, got "
                    + x.length + " and " + y.length);
        }
        int n = x.length;
        long concordant = 0;
        long discordant = 0;
        long tiedX = 0;
        long tiedY = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                int sx = Double.compare(x[i], x[j]);
                int sy = Double.compare(y[i], y[j]);
                if (sx == 0 && sy == 0) {
                    continue;
                }
                if (sx == 0) {
                    tiedX++;
                } else if (sy == 0) {
                    tiedY++;
                } else if (sx == sy) {
                    concordant++;
                } else {
                    discordant++;
                }
            }
        }
        double tau = (concordant - discordant)
                / Math.sqrt((double) (concordant + discordant + tiedX) * (concordant + discordant + tiedY));
        double z = 3 * tau * Math.sqrt((double) n * (n - 1)) / Math.sqrt(2.0 * (2 * n + 5));
        double p = Double.isFinite(z) ? 2 * (1 - standardNormal(Math.abs(z))) : Double.NaN;
        return new RankCorrelation(n, tau, pearson(ranks(x), ranks(y)), p);
    }

    /** Ranks from 1, ties sharing their mean rank. */
    static double[] ranks(double[] values) {
        Integer[] order = new Integer[values.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] ranks = new double[values.length];
        for (int start = 0; start < order.length;) {
            int end = start;
            while (end + 1 < order.length && values[order[end + 1]] == values[order[start]]) {
                end++;
            }
            for (int k = start; k <= end; k++) {
                ranks[order[k]] = (start + end) / 2.0 + 1;
            }
            start = end + 1;
        }
        return ranks;
    }

    private static double pearson(double[] a, double[] b) {
        double meanA = Arrays.stream(a).average().orElseThrow();
        double meanB = Arrays.stream(b).average().orElseThrow();
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - meanA) * (b[i] - meanB);
            aa += (a[i] - meanA) * (a[i] - meanA);
            bb += (b[i] - meanB) * (b[i] - meanB);
        }
        return ab / Math.sqrt(aa * bb);
    }

    /** The standard normal distribution function (Zelen and Severo 26.2.17; error below 7.5e-8). */
    private static double standardNormal(double z) {
        double t = 1 / (1 + 0.2316419 * z);
        double density = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
        double tail = density * t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
        return 1 - tail;
    }
}

package dev.creamery.runtime.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Values from scipy.stats.kendalltau / spearmanr (scipy 1.x) on the same data. */
class RankCorrelationTest {
    @Test
    void matchesScipyWithoutTies() {
        RankCorrelation c = RankCorrelation.of(new double[] {1, 2, 3, 4, 5}, new double[] {3, 1, 2, 5, 4});
        assertThat(c.kendallTau()).isCloseTo(0.4, within(1e-12));
        assertThat(c.spearmanRho()).isCloseTo(0.6, within(1e-12));
        assertThat(c.n()).isEqualTo(5);
    }

    @Test
    void matchesScipyTauBWithTies() {
        RankCorrelation c = RankCorrelation.of(new double[] {1, 2, 2, 3, 4}, new double[] {1, 3, 2, 4, 4});
        assertThat(c.kendallTau()).isCloseTo(0.8888888888888888, within(1e-12));
        assertThat(c.spearmanRho()).isCloseTo(0.9473684210526317, within(1e-12));
        assertThat(RankCorrelation.ranks(new double[] {0.5, 0.2, 0.5, 0.9})).containsExactly(2.5, 1, 2.5, 4);
    }

    @Test
    void thePValueFallsWithAgreementAndSampleSize() {
        double[] x = new double[30];
        double[] reversed = new double[30];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
            reversed[i] = -i;
        }
        RankCorrelation opposite = RankCorrelation.of(x, reversed);
        assertThat(opposite.kendallTau()).isEqualTo(-1.0);
        assertThat(opposite.pValue()).isLessThan(1e-6);
        // Tau 0 (as many concordant as discordant pairs): no evidence at all.
        assertThat(RankCorrelation.of(new double[] {1, 2, 3, 4}, new double[] {2, 4, 1, 3}).pValue()).isCloseTo(1.0, within(1e-6));
        assertThatThrownBy(() -> RankCorrelation.of(new double[] {1}, new double[] {1})).isInstanceOf(IllegalArgumentException.class);
    }
}

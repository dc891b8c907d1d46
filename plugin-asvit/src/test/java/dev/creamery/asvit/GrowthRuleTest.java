package dev.creamery.asvit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GrowthRuleTest {
    private static final List<Goal> OFFICIAL = List.of(new Goal("ntk", false), new Goal("exp", true));

    @Test
    void candidatesFollowTheOfficialEnumeration() {
        // round(8 * 1.05) = 8, round(8.8) = 9, round(9.2) = 9 (dropped as a repeat), round(9.6) = 10.
        assertThat(GrowthRule.widthChoices(8, List.of(0.05, 0.1, 0.15, 0.2))).containsExactly(8, 9, 10);
        // Python rounds halves to even: 10 * 1.05 = 10.5 -> 10, 30 * 1.05 = 31.5 -> 32.
        assertThat(GrowthRule.widthChoices(10, List.of(0.05))).containsExactly(10);
        assertThat(GrowthRule.widthChoices(30, List.of(0.05))).containsExactly(32);
        assertThat(GrowthRule.depthChoices(new int[] {1, 1, 1, 1}, List.of(1)))
                .containsExactly(new int[] {2, 1, 1, 1}, new int[] {1, 2, 1, 1}, new int[] {1, 1, 2, 1}, new int[] {1, 1, 1, 2});
        assertThat(GrowthRule.depthChoices(new int[] {1, 1, 1, 1}, List.of(2))).hasSize(6)
                .startsWith(new int[] {2, 2, 1, 1}, new int[] {2, 1, 2, 1});
        List<GrowthRule.Choice> candidates = GrowthRule.candidates(new int[] {1, 1, 1, 1}, 8,
                GrowthRule.depthChoices(new int[] {1, 1, 1, 1}, List.of(1)), GrowthRule.widthChoices(8, List.of(0.05, 0.1, 0.15, 0.2)));
        assertThat(candidates).hasSize(12);
        assertThat(candidates.get(0)).isEqualTo(new GrowthRule.Choice(new int[] {2, 1, 1, 1}, 8));
        assertThat(candidates.get(1)).isEqualTo(new GrowthRule.Choice(new int[] {2, 1, 1, 1}, 9));
    }

    @Test
    void picksTheSmallestRankSum() {
        List<Map<String, Double>> metrics = List.of(
                Map.of("ntk", 300.0, "exp", 2.0),
                Map.of("ntk", 100.0, "exp", 3.0),
                Map.of("ntk", 200.0, "exp", 3.0));
        // ntk ranks 2, 0, 1; exp ranks (descending, ties shared) 1, 0, 0: sums 3, 0, 1.
        assertThat(GrowthRule.choose(metrics, OFFICIAL)).isEqualTo(1);
    }

    @Test
    void breaksATieOnTheWidestMeasureTakingTheSmallerValue() {
        List<Map<String, Double>> metrics = List.of(
                Map.of("ntk", 100.0, "exp", 2.0),
                Map.of("ntk", 200.0, "exp", 4.0),
                Map.of("ntk", 300.0, "exp", 1.0));
        // ntk ranks 0, 1, 2; exp ranks 1, 0, 2: sums 1, 1, 4, a tie between candidates 0 and 1.
        // Relative ranges: ntk (300 - 100) / 300 = 0.67, exp (4 - 1) / 4 = 0.75, so exp decides, and the official
        // argmin takes the smaller exp (2.0, candidate 0) although larger exp ranks better.
        assertThat(GrowthRule.choose(metrics, OFFICIAL)).isEqualTo(0);
        List<Map<String, Double>> ntkWider = List.of(
                Map.of("ntk", 200.0, "exp", 2.0),
                Map.of("ntk", 100.0, "exp", 2.1),
                Map.of("ntk", 1000.0, "exp", 1.9));
        // ntk ranks 1, 0, 2; exp ranks 1, 0, 2: candidate 1 wins outright.
        assertThat(GrowthRule.choose(ntkWider, OFFICIAL)).isEqualTo(1);
        List<Map<String, Double>> tieOnNtk = List.of(
                Map.of("ntk", 200.0, "exp", 2.1),
                Map.of("ntk", 100.0, "exp", 2.0),
                Map.of("ntk", 1000.0, "exp", 1.9));
        // Sums 1, 1, 4; ranges ntk 0.9, exp 0.095: ntk decides, smaller ntk is candidate 1.
        assertThat(GrowthRule.choose(tieOnNtk, OFFICIAL)).isEqualTo(1);
    }
}

package dev.creamery.asvit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.creamery.api.Architecture;
import dev.creamery.api.Task;
import dev.creamery.testkit.ToySearchContext;
import dev.creamery.testkit.ToySpace;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReinforceTest {
    /** Best arm: kernel1 = 8 and expansion1 = 6; the other dimensions do not matter. */
    static double toyAccuracy(Architecture architecture) {
        double score = 0.2;
        score += architecture.getInt("kernel1") == 8 ? 0.4 : 0.1 * (architecture.getInt("kernel1") - 4) / 4;
        score += architecture.getInt("expansion1") == 6 ? 0.4 : 0.05 * (architecture.getInt("expansion1") - 2) / 4;
        return score;
    }

    private static ReinforceSearch.Outcome run(String mode, long seed) {
        return run(mode, seed, 1);
    }

    private static ReinforceSearch.Outcome run(String mode, long seed, int batch) {
        AsVitSpace space = new AsVitSpace();
        ToySearchContext context = new ToySearchContext(space, Task.square(1, 28, 10), seed, 100_000, ReinforceTest::toyAccuracy);
        return new ReinforceSearch(new ReinforceSettings(500, 0.08, 0.9, 1e-3, List.of("accuracy:max"), mode, 20, batch))
                .run(space, context);
    }

    /** Sampling several architectures before each round of updates still learns the best arm (and uses the same number of steps). */
    @Test
    void learnsInBatchesToo() {
        ReinforceSearch.Outcome outcome = run("relative-change", 1, 8);
        assertThat(outcome.derived().getInt("kernel1")).isEqualTo(8);
        assertThat(outcome.derived().getInt("expansion1")).isEqualTo(6);
        assertThat(outcome.result().trials().size()).isLessThanOrEqualTo(501);
    }

    @Test
    void concentratesThePolicyOnTheBestArm() {
        for (String mode : List.of("relative-change", "value")) {
            ReinforceSearch.Outcome outcome = run(mode, 1);
            List<String> names = AsVitSpace.names();
            double[] kernel1 = outcome.probabilities()[names.indexOf("kernel1")];
            double[] expansion1 = outcome.probabilities()[names.indexOf("expansion1")];
            assertThat(kernel1[4]).as(mode + ": p(kernel1 = 8)").isGreaterThan(0.9);
            assertThat(expansion1[4]).as(mode + ": p(expansion1 = 6)").isGreaterThan(0.9);
            assertThat(outcome.derived().getInt("kernel1")).isEqualTo(8);
            assertThat(outcome.derived().getInt("expansion1")).isEqualTo(6);
            assertThat(outcome.probabilities()[names.indexOf("split4")]).containsExactly(1.0);
        }
    }

    @Test
    void repeatsUnderTheSameSeed() {
        assertThat(run("relative-change", 4).derived()).isEqualTo(run("relative-change", 4).derived());
        assertThat(run("relative-change", 4).probabilities()[0]).containsExactly(run("relative-change", 4).probabilities()[0]);
    }

    @Test
    void refusesPerLayerDimensions() {
        ToySpace toy = new ToySpace();
        ToySearchContext context = new ToySearchContext(toy, Task.square(1, 4, 3), 1, 10, ToySpace::score);
        assertThatThrownBy(() -> new ReinforceSearch(new ReinforceSettings(5, 0.08, 0.9, 1e-3, List.of("accuracy:max"), "value", 20, 1))
                .search(toy, context)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'width'")
                .hasMessageContaining("per-layer");
    }

    @Test
    void settingsCheckTheirDomain() {
        assertThatThrownBy(() -> new ReinforceSettings(0, 0.08, 0.9, 1e-3, List.of("accuracy:max"), "value", 20, 1))
                .hasMessageContaining("steps");
        assertThatThrownBy(() -> new ReinforceSettings(5, 0.08, 1.0, 1e-3, List.of("accuracy:max"), "value", 20, 1))
                .hasMessageContaining("ema-momentum");
        assertThatThrownBy(() -> new ReinforceSettings(5, 0.08, 0.9, 1e-3, List.of("accuracy"), "value", 20, 1))
                .hasMessageContaining("metric:max");
        assertThatThrownBy(() -> new ReinforceSettings(5, 0.08, 0.9, 1e-3, List.of("accuracy:max"), "best", 20, 1))
                .hasMessageContaining("relative-change");
    }

    @Test
    void officialRewardIsTheSignedRelativeChange() {
        RelativeChangeReward reward = new RelativeChangeReward(
                List.of(new Goal("ntk_condition", false), new Goal("length_distortion", true)), RelativeChangeReward.Mode.RELATIVE_CHANGE, 3);
        assertThat(reward.next(Map.of("ntk_condition", 100.0, "length_distortion", 2.0))).isEqualTo(0.0);
        // ntk 100 -> 80 over range 20, exp 2 -> 3 over range 1: 1 + 1 (minus the 1e-6 in each denominator).
        assertThat(reward.next(Map.of("ntk_condition", 80.0, "length_distortion", 3.0))).isCloseTo(20 / (20 + 1e-6) + 1 / (1 + 1e-6),
                within(1e-12));
        // ntk 80 -> 120, buffer [100, 80, 120] range 40; exp 3 -> 3.
        assertThat(reward.next(Map.of("ntk_condition", 120.0, "length_distortion", 3.0))).isCloseTo(-40 / (40 + 1e-6), within(1e-12));
        // The buffer holds 3 values: [80, 120, 90] range 40; exp [3, 3, 1] range 2.
        assertThat(reward.next(Map.of("ntk_condition", 90.0, "length_distortion", 1.0)))
                .isCloseTo(30 / (40 + 1e-6) - 2 / (2 + 1e-6), within(1e-12));
        // A failed step counts as the worst buffered values (ntk 120, exp 1): ntk 90 -> 120 over [120, 90, 120].
        assertThat(reward.next(null)).isCloseTo(-30 / (30 + 1e-6), within(1e-12));
    }

    @Test
    void baselineIsABiasCorrectedMovingAverage() {
        ExponentialMovingAverage ema = new ExponentialMovingAverage(0.9);
        ema.update(2);
        assertThat(ema.value()).isCloseTo(2, within(1e-12));
        ema.update(4);
        assertThat(ema.value()).isCloseTo((0.9 * 0.1 * 2 + 0.1 * 4) / (0.9 * 0.1 + 0.1), within(1e-12));
    }

    @Test
    void policyGradientStepMatchesAdam() {
        CategoricalPolicy policy = new CategoricalPolicy(new int[] {3}, 0, 0.08, new Random(1));
        policy.update(new int[] {2}, 1.0);
        // First Adam step moves every logit by lr * sign(-gradient): the sampled arm up, the others down.
        double[] p = policy.probabilities(0);
        double up = Math.exp(0.08);
        double down = Math.exp(-0.08);
        assertThat(p[2]).isCloseTo(up / (up + 2 * down), within(1e-6));
    }
}

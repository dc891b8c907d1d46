package dev.creamery.asvit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creamery.api.Architecture;
import dev.creamery.api.SearchStrategy;
import dev.creamery.api.Task;
import dev.creamery.api.Trial;
import dev.creamery.testkit.ToySearchContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrowSearchTest {
    private static final Task IMAGENET = Task.square(3, 224, 1000);
    private static final SearchStrategy SEED = new ReinforceSearch(
            new ReinforceSettings(30, 0.08, 0.9, 1e-3, List.of("accuracy:max"), "relative-change", 20, 1));

    /** A stand-in for the measures: a fixed pseudo-random score per architecture, favouring no direction. */
    static double neutralScore(Architecture architecture) {
        long h = architecture.canonical().hashCode() * 0x9E3779B97F4A7C15L;
        return ((h >>> 11) & 0xFFFFF) / (double) 0x100000;
    }

    private static GrowSettings settings(String topology, long target, long max) {
        return new GrowSettings(SEED, topology, 4, 1, List.of(1), List.of(0.05, 0.1, 0.15, 0.2), target, max, 0, 0,
                List.of("accuracy:max"));
    }

    private static GrowSearch.Growth grow(GrowSettings settings, Task task, long seed) {
        AsVitSpace space = new AsVitSpace();
        ToySearchContext context = new ToySearchContext(space, task, seed, 10_000, GrowSearchTest::neutralScore);
        GrowSearch.Growth growth = new GrowSearch(settings).grow(space, context);
        assertThat(growth.result().trials()).containsExactlyElementsOf(context.trials());
        context.requests().forEach(space::validate);
        return growth;
    }

    @Test
    void growsTheReadmeSeedIntoTheOfficialSizeWindowThroughThePaperSizes() {
        GrowSearch.Growth growth = grow(settings(AsVitFamily.SEED, 80_000_000, 110_000_000), IMAGENET, 1);
        List<Trial> series = growth.series();
        assertThat(growth.seed()).isEqualTo(Topology.parse(AsVitFamily.SEED));
        long previous = new AsVitFamily().complexity(new AsVitFamily().parse(AsVitFamily.SEED), IMAGENET).params();
        int[] layers = {1, 1, 1, 1};
        for (Trial member : series) {
            Topology topology = Topology.of(member.architecture());
            assertThat(member.complexity().params()).isGreaterThan(previous);
            assertThat(member.complexity().flops()).isPositive();
            assertThat(topology.hiddenSize() % 4).isZero();
            assertThat(java.util.Arrays.stream(topology.layers()).sum()).isEqualTo(java.util.Arrays.stream(layers).sum() + 1);
            layers = topology.layers();
            previous = member.complexity().params();
            // The seed's topology is kept; only layers and width grow.
            assertThat(topology.unscaled()).isEqualTo(Topology.parse(AsVitFamily.SEED));
        }
        Trial last = series.get(series.size() - 1);
        assertThat(last.complexity().params()).isBetween(80_000_000L, 110_000_000L);
        assertThat(growth.result().best()).contains(last);
        assertThat(growth.result().paretoFront()).containsExactlyElementsOf(series);
        // Every step adds one layer and at most 20% width, so the series passes close to any size on the way:
        // As-ViT Small (29.0M) and Base (52.6M) are the members nearest those sizes.
        assertThat(nearest(series, 29_000_000)).isBetween(0.8 * 29_000_000, 1.2 * 29_000_000);
        assertThat(nearest(series, 52_600_000)).isBetween(0.8 * 52_600_000, 1.2 * 52_600_000);
    }

    @Test
    void runsTheSeedSearchFirstAndRepeatsUnderTheSameSeed() {
        Task small = Task.square(1, 28, 10);
        GrowSearch.Growth first = grow(settings("", 2_000_000, 0), small, 7);
        GrowSearch.Growth again = grow(settings("", 2_000_000, 0), small, 7);
        assertThat(first.series()).isNotEmpty();
        assertThat(again.series().stream().map(Trial::architecture).toList())
                .containsExactlyElementsOf(first.series().stream().map(Trial::architecture).toList());
        assertThat(first.series().get(first.series().size() - 1).complexity().params()).isGreaterThanOrEqualTo(2_000_000);
        assertThat(first.seed().scaled()).isFalse();
    }

    @Test
    void refusesATargetBelowTheSeed() {
        assertThatThrownBy(() -> grow(settings(AsVitFamily.SEED, 1_000_000, 0), IMAGENET, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not above the seed")
                .hasMessageContaining("2.32M");
        assertThatThrownBy(() -> settings(AsVitFamily.SEED, 0, 0)).hasMessageContaining("target");
        assertThatThrownBy(() -> settings(AsVitFamily.SEED, 200, 100)).hasMessageContaining("max-params");
        assertThatThrownBy(() -> settings("8,2,3|4,1,2", 200, 0)).hasMessageContaining("fields");
    }

    @Test
    void stopsAtTheBudget() {
        AsVitSpace space = new AsVitSpace();
        ToySearchContext context = new ToySearchContext(space, IMAGENET, 1, 30, GrowSearchTest::neutralScore);
        GrowSearch.Growth growth = new GrowSearch(settings(AsVitFamily.SEED, 80_000_000, 110_000_000)).grow(space, context);
        assertThat(context.trials()).hasSize(30);
        assertThat(growth.series()).hasSize(2);
    }

    /**
     * Every member the official rule can put on As-ViT Large's own path (10 steps from the seed at hidden size 32,
     * layers at most 5, 2, 5, 2, widths reachable by the width ratios and still able to reach 45 = 180 / 4): a
     * Small-sized member exists, none comes within 2% of Base's 52.6M.
     */
    @Test
    void largesOwnPathHasASmallButNoBase() {
        List<Double> ratios = List.of(0.05, 0.1, 0.15, 0.2);
        List<java.util.Set<Integer>> reachable = new java.util.ArrayList<>();
        reachable.add(java.util.Set.of(8));
        for (int t = 1; t <= 10; t++) {
            java.util.Set<Integer> next = new java.util.TreeSet<>();
            reachable.get(t - 1).forEach(w -> next.addAll(GrowthRule.widthChoices(w, ratios)));
            reachable.add(next);
        }
        assertThat(reachable.get(10)).contains(45);
        AsVitFamily family = new AsVitFamily();
        Topology seed = Topology.parse(AsVitFamily.SEED);
        java.util.List<Long> sizes = new java.util.ArrayList<>();
        for (int t = 1; t < 10; t++) {
            for (int width : reachable.get(t)) {
                if (!reaches(width, 45, 10 - t, ratios)) {
                    continue;
                }
                for (int a = 1; a <= 5; a++) {
                    for (int b = 1; b <= 2; b++) {
                        for (int c = 1; c <= 5; c++) {
                            for (int d = 1; d <= 2; d++) {
                                if (a + b + c + d == 4 + t) {
                                    sizes.add(family.complexity(seed.withScale(new int[] {a, b, c, d}, 4 * width).toArchitecture(),
                                            IMAGENET).params());
                                }
                            }
                        }
                    }
                }
            }
        }
        assertThat(sizes).contains(28_324_948L).noneMatch(p -> Math.abs(p - 52_600_000L) < 0.02 * 52_600_000L)
                .anyMatch(p -> Math.abs(p - 29_000_000L) < 0.03 * 29_000_000L);
        assertThat(family.complexity(family.parse(AsVitFamily.LARGE), IMAGENET).params()).isEqualTo(87_580_820L);
    }

    private static boolean reaches(int width, int target, int steps, List<Double> ratios) {
        java.util.Set<Integer> widths = java.util.Set.of(width);
        for (int i = 0; i < steps; i++) {
            java.util.Set<Integer> next = new java.util.HashSet<>();
            widths.forEach(w -> next.addAll(GrowthRule.widthChoices(w, ratios)));
            widths = next;
        }
        return widths.contains(target);
    }

    private static double nearest(List<Trial> series, long size) {
        return series.stream().mapToLong(t -> t.complexity().params())
                .reduce((a, b) -> Math.abs(a - size) <= Math.abs(b - size) ? a : b).orElseThrow();
    }
}

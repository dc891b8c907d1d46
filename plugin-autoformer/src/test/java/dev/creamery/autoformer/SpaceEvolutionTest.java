package dev.creamery.autoformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.creamery.api.Architecture;
import dev.creamery.api.Bounds;
import dev.creamery.api.Complexity;
import dev.creamery.api.Constraints;
import dev.creamery.api.Dimension;
import dev.creamery.api.DimensionSpace;
import dev.creamery.api.SearchResult;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.SearchStrategy;
import dev.creamery.api.Task;
import dev.creamery.api.Trial;
import dev.creamery.api.UnsatisfiableConstraintsException;
import dev.creamery.testkit.ToySearchContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The space moves towards lower error where it can, and shrinks where the error does not tell. */
class SpaceEvolutionTest {
    /** Two choices: the larger {@code a}, the better; {@code b} makes no difference. */
    static final class RampSpace extends DimensionSpace {
        @Override
        public List<Dimension> dimensions() {
            return List.of(Dimension.of("a", List.of(1, 2, 3, 4, 5, 6, 7)), Dimension.of("b", List.of(1, 2, 3, 4, 5)));
        }

        @Override
        public Complexity complexity(Architecture architecture, Task task) {
            return new Complexity(1000L * architecture.getInt("a") + architecture.getInt("b"), 0);
        }

        @Override
        public Block build(Architecture architecture, Task task) {
            return new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(task.classes()).build());
        }

        static double score(Architecture architecture) {
            return 0.5 + 0.05 * architecture.getInt("a");
        }
    }

    /**
     * Two choices of 1 to 3 whose sum makes the size, {@code a} worth more than {@code b}: each choice
     * alone has members under 5,000 parameters, but not every pair of windows does.
     */
    static final class PairSpace extends DimensionSpace {
        @Override
        public List<Dimension> dimensions() {
            return List.of(Dimension.of("a", List.of(1, 2, 3)), Dimension.of("b", List.of(1, 2, 3)));
        }

        @Override
        public Complexity complexity(Architecture architecture, Task task) {
            return new Complexity(1000L * (architecture.getInt("a") + architecture.getInt("b")), 0);
        }

        @Override
        public Block build(Architecture architecture, Task task) {
            return new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(task.classes()).build());
        }

        static double score(Architecture architecture) {
            return 0.5 + 0.05 * architecture.getInt("a") + 0.03 * architecture.getInt("b");
        }
    }

    private static final Constraints UNDER_5K = new Constraints(new Bounds(0, 5000), Bounds.ANY);

    /** Evaluates every member of the space it is given that is inside the size limits. */
    private static SearchStrategy exhaustive(Constraints constraints) {
        return (space, context) -> {
            for (Object a : space.dimensions().get(0).candidates()) {
                for (Object b : space.dimensions().get(1).candidates()) {
                    Architecture member = Architecture.of("a", a, "b", b);
                    if (constraints.admits(context.complexity(member))) {
                        context.evaluate(member);
                    }
                }
            }
            return context.result();
        };
    }

    /** With {@code min-window = 1} a dimension may narrow to one value. */
    @Test
    void shiftsTowardsLowerErrorAndShrinksWhereItIsFlat() {
        SpaceEvolution evolution = new SpaceEvolution(new SpaceEvolutionSettings(3, 3, 1, 4, 2, 0.002, Constraints.NONE,
                exhaustive(Constraints.NONE)));
        RampSpace space = new RampSpace();
        ToySearchContext context = new ToySearchContext(space, Task.square(1, 2, 2), 3, 10_000, RampSpace::score);
        SearchResult result = evolution.search(space, context);
        // a: [3, 4, 5] -> [4, 5, 6] -> [5, 6, 7] -> at the end of the space, the worst choice goes: [6, 7].
        // b: no trend, so each step drops the worst (the first of equals): [2, 3, 4] -> [3, 4] -> [4] -> [4].
        assertThat(result.trials()).extracting(t -> t.architecture().canonical())
                .containsExactlyInAnyOrder("a=6 b=4", "a=7 b=4");
        assertThat(result.best().orElseThrow().architecture()).isEqualTo(Architecture.of("a", 7, "b", 4));
    }

    @Test
    void aSizeLimitKeepsTheSamplesInside() {
        Constraints small = new Constraints(new Bounds(0, 4999), Bounds.ANY);
        SpaceEvolution evolution = new SpaceEvolution(new SpaceEvolutionSettings(2, 3, 1, 4, 2, 0.002, small, exhaustive(small)));
        RampSpace space = new RampSpace();
        ToySearchContext context = new ToySearchContext(space, Task.square(1, 2, 2), 3, 10_000, RampSpace::score);
        SearchResult result = evolution.search(space, context);
        // a=5 has no member under 5,000 parameters: its error is unknown, so step 1 drops it and keeps
        // [3, 4]; step 2 would shift up, but a=5 cannot be admitted, so the worse choice, a=3, goes.
        assertThat(result.trials()).extracting(t -> t.architecture().getInt("a")).containsOnly(4);
    }

    /**
     * The user's failure in small: each dimension's own proposal keeps members under the limit, the two
     * together would not. With min-window 1, step 2 proposes a = [3] (steepest trend, taken first) and
     * b = [3]; a3 b3 has 6,000 parameters, so b keeps [2, 3] and the final space still has a member
     * inside the limit.
     */
    @Test
    void aStepKeepsAMemberInsideTheLimitsInTheJointWindow() {
        SpaceEvolution evolution = new SpaceEvolution(new SpaceEvolutionSettings(2, 3, 1, 4, 2, 0.002, UNDER_5K, exhaustive(UNDER_5K)));
        PairSpace space = new PairSpace();
        ToySearchContext context = new ToySearchContext(space, Task.square(1, 2, 2), 3, 10_000, PairSpace::score);
        SearchResult result = evolution.search(space, context);
        // Step 1: a and b both drop 1 (error falls towards 3, which is the end of the space).
        // Step 2: a drops 2; b would drop 2, but a = 3 with b = 3 is 6,000 parameters.
        assertThat(context.notes()).contains("space-2 b: keeps [2, 3], since [3] with the other dimensions' new windows would leave "
                + "nothing to search: params [0, 5000] and FLOPs [0, inf], but its members span 6000 to 6000 params and 0 to 0 FLOPs "
                + "for this task");
        assertThat(result.trials()).extracting(t -> t.architecture().canonical()).containsExactly("a=3 b=2");
        assertThat(result.best().orElseThrow().complexity().params()).isEqualTo(5000);
    }

    /** With the default min-window of 2, two steps of a window of 3 leave two choices of each dimension to search. */
    @Test
    void minWindowKeepsTwoChoicesOfEachDimension() {
        SpaceEvolution evolution = new SpaceEvolution(new SpaceEvolutionSettings(2, 3, 2, 4, 2, 0.002, UNDER_5K, exhaustive(UNDER_5K)));
        PairSpace space = new PairSpace();
        ToySearchContext context = new ToySearchContext(space, Task.square(1, 2, 2), 3, 10_000, PairSpace::score);
        SearchResult result = evolution.search(space, context);
        // a, b: [1, 2, 3] -> [2, 3] (drop the worst) -> [2, 3] (at min-window, no room to shift); a3 b3 is over the limit.
        assertThat(result.trials()).extracting(t -> t.architecture().canonical()).containsExactlyInAnyOrder("a=2 b=2", "a=2 b=3", "a=3 b=2");
        assertThat(context.notes()).contains("space-evolution: searching the final space, 4 members, 75% of them inside the size limits: "
                + "[a in [2, 3], b in [2, 3]]");
    }

    /** A first window with no member inside the limits is refused by check(), before anything trains, with its span. */
    @Test
    void aFirstWindowWithoutAFeasibleMemberIsRefusedWithItsSpan() {
        SpaceEvolution tooSmall = new SpaceEvolution(new SpaceEvolutionSettings(2, 3, 2, 4, 2, 0.002,
                new Constraints(new Bounds(0, 1500), Bounds.ANY), exhaustive(Constraints.NONE)));
        assertThatThrownBy(() -> tooSmall.check(new PairSpace(), Task.square(1, 2, 2)))
                .isInstanceOf(UnsatisfiableConstraintsException.class)
                .hasMessage("no member of space-evolution's first window (3 candidates of each dimension around the middle: "
                        + "[a in [1, 2, 3], b in [1, 2, 3]]) meets the size limits: params [0, 1500] and FLOPs [0, inf], but its members "
                        + "span 2000 to 6000 params and 0 to 0 FLOPs for this task; widen strategy.constraints, or change the space's "
                        + "candidates or strategy.window");
        // The span overlaps [3500, 3900], but every member's size is a multiple of 1,000.
        SpaceEvolution between = new SpaceEvolution(new SpaceEvolutionSettings(2, 3, 2, 4, 2, 0.002,
                new Constraints(new Bounds(3500, 3900), Bounds.ANY), exhaustive(Constraints.NONE)));
        assertThatThrownBy(() -> between.check(new PairSpace(), Task.square(1, 2, 2)))
                .hasMessageContaining("span 2000 to 6000 params and 0 to 0 FLOPs for this task and none of 10000 sampled members is inside");
        // A window that fits passes, and then the inner strategy's own check applies to it.
        SpaceEvolution fits = new SpaceEvolution(new SpaceEvolutionSettings(2, 3, 2, 4, 2, 0.002, UNDER_5K, new SearchStrategy() {
            @Override
            public SearchResult search(SearchSpace space, dev.creamery.api.SearchContext context) {
                return context.result();
            }

            @Override
            public void check(SearchSpace space, Task task) {
                throw new IllegalArgumentException("inner refuses " + space.dimensions());
            }
        }));
        assertThatThrownBy(() -> fits.check(new PairSpace(), Task.square(1, 2, 2))).hasMessage("inner refuses [a in [1, 2, 3], b in [1, 2, 3]]");
    }

    /** An inner search that cannot find a member inside its limits does not throw the steps' trials away. */
    @Test
    void anInnerSearchThatFindsNothingFinishesWithTheBestTrialSoFar() {
        SearchStrategy failing = (space, context) -> {
            throw new UnsatisfiableConstraintsException("10000 random candidates all fall outside params [0, 10]");
        };
        SpaceEvolution evolution = new SpaceEvolution(new SpaceEvolutionSettings(1, 3, 2, 4, 2, 0.002, Constraints.NONE, failing));
        RampSpace space = new RampSpace();
        ToySearchContext context = new ToySearchContext(space, Task.square(1, 2, 2), 3, 10_000, RampSpace::score);
        SearchResult result = evolution.search(space, context);
        // Step 1 scores a = 3, 4, 5 with three members each (b = 2, 3, 4); a = 5 scores best.
        assertThat(result.trials()).hasSize(9);
        Trial best = result.best().orElseThrow();
        assertThat(best.architecture().getInt("a")).isEqualTo(5);
        assertThat(context.notes()).contains(String.format(java.util.Locale.ROOT, "space-evolution: the final search found no member to "
                + "rank (10000 random candidates all fall outside params [0, 10]); finishing with the best of the 9 trials inside the "
                + "limits: trial %d of space-1 (acc 0.7500, %d params)", best.number(), best.complexity().params()));
    }

    /** A budget used up during the steps ends them; the final search has nothing left and the best of the steps stands. */
    @Test
    void aBudgetUsedUpDuringTheStepsFinishesWithTheBestTrialSoFar() {
        SpaceEvolution evolution = new SpaceEvolution(new SpaceEvolutionSettings(2, 3, 2, 4, 2, 0.002, Constraints.NONE,
                exhaustive(Constraints.NONE)));
        RampSpace space = new RampSpace();
        ToySearchContext context = new ToySearchContext(space, Task.square(1, 2, 2), 3, 5, RampSpace::score);
        SearchResult result = evolution.search(space, context);
        assertThat(result.trials()).hasSize(5);
        assertThat(result.best()).isPresent();
        assertThat(context.notes()).contains("space-evolution: the budget ran out during step 1; the space stays as it was");
        assertThat(context.notes()).anyMatch(n -> n.startsWith("space-evolution: the final search found no member to rank (trial budget "
                + "of 5 used up); finishing with the best of the 5 trials inside the limits"));
    }

    @Test
    void theTrendIsALeastSquaresSlope() {
        assertThat(SpaceEvolution.slope(new double[] {0, 1, 2}, new double[] {0.3, 0.2, 0.1})).isCloseTo(-0.1, within(1e-12));
        assertThat(SpaceEvolution.slope(new double[] {0, 1, 2}, new double[] {0.2, Double.NaN, 0.4})).isCloseTo(0.1, within(1e-12));
        assertThat(SpaceEvolution.slope(new double[] {4}, new double[] {0.2})).isZero();
    }
}

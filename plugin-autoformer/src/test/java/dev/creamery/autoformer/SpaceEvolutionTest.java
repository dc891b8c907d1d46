package dev.creamery.autoformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.Constraints;
import dev.creamery.api.Dimension;
import dev.creamery.api.DimensionSpace;
import dev.creamery.api.SearchResult;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.SearchStrategy;
import dev.creamery.api.Task;
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

    @Test
    void shiftsTowardsLowerErrorAndShrinksWhereItIsFlat() {
        SpaceEvolution evolution = new SpaceEvolution(new SpaceEvolutionSettings(3, 3, 4, 2, 0.002, Constraints.NONE, exhaustive(Constraints.NONE)));
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
        Constraints small = new Constraints(new dev.creamery.api.Bounds(0, 4999), dev.creamery.api.Bounds.ANY);
        SpaceEvolution evolution = new SpaceEvolution(new SpaceEvolutionSettings(2, 3, 4, 2, 0.002, small, exhaustive(small)));
        RampSpace space = new RampSpace();
        ToySearchContext context = new ToySearchContext(space, Task.square(1, 2, 2), 3, 10_000, RampSpace::score);
        SearchResult result = evolution.search(space, context);
        // a=5 has no member under 5,000 parameters: its error is unknown, so step 1 drops it and keeps
        // [3, 4]; step 2 would shift up, but a=5 cannot be admitted, so the worse choice, a=3, goes.
        assertThat(result.trials()).extracting(t -> t.architecture().getInt("a")).containsOnly(4);
    }

    @Test
    void theTrendIsALeastSquaresSlope() {
        assertThat(SpaceEvolution.slope(new double[] {0, 1, 2}, new double[] {0.3, 0.2, 0.1})).isCloseTo(-0.1, within(1e-12));
        assertThat(SpaceEvolution.slope(new double[] {0, 1, 2}, new double[] {0.2, Double.NaN, 0.4})).isCloseTo(0.1, within(1e-12));
        assertThat(SpaceEvolution.slope(new double[] {4}, new double[] {0.2})).isZero();
    }
}

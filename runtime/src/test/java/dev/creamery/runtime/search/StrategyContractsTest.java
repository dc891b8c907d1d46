package dev.creamery.runtime.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creamery.api.Bounds;
import dev.creamery.api.Constraints;
import dev.creamery.api.Metrics;
import dev.creamery.api.SearchStrategy;
import dev.creamery.api.Task;
import dev.creamery.api.Trial;
import dev.creamery.api.UnsatisfiableConstraintsException;
import dev.creamery.testkit.SearchStrategyContract;
import dev.creamery.testkit.ToySearchContext;
import dev.creamery.testkit.ToySpace;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class StrategyContractsTest {
    static EvolutionSearch evolution(int population, int generations, Constraints constraints) {
        return new EvolutionSearch(new EvolutionSearch.Settings(population, generations, 3, 0.3, 0.4, 3, 3, constraints, EvolutionSearch.Selection.PRIMARY));
    }

    @Nested
    class Random extends SearchStrategyContract {
        @Override
        protected SearchStrategy strategy() {
            return new RandomSearch(new RandomSearch.Settings(40, Constraints.NONE));
        }
    }

    @Nested
    class Evolution extends SearchStrategyContract {
        @Override
        protected SearchStrategy strategy() {
            return evolution(8, 10, Constraints.NONE);
        }
    }

    @Test
    void evolutionImprovesOverGenerations() {
        ToySpace space = new ToySpace();
        ToySearchContext context = new ToySearchContext(space, Task.square(1, 4, 3), 21, 1000, ToySpace::score);
        evolution(8, 8, Constraints.NONE).search(space, context);
        List<Trial> trials = context.trials();
        double firstGeneration = trials.subList(0, 8).stream().mapToDouble(t -> t.metricOrNaN(Metrics.ACCURACY)).average().orElseThrow();
        double lastGeneration = trials.subList(trials.size() - 8, trials.size()).stream()
                .mapToDouble(t -> t.metricOrNaN(Metrics.ACCURACY)).average().orElseThrow();
        assertThat(lastGeneration).isGreaterThan(firstGeneration + 0.1);
        assertThat(context.result().best().orElseThrow().metricOrNaN(Metrics.ACCURACY)).isEqualTo(1.0);
    }

    @Test
    void constraintsAreRespectedAndImpossibleOnesRefusedUpFront() {
        ToySpace space = new ToySpace();
        Task task = Task.square(1, 4, 3);
        Constraints small = new Constraints(new Bounds(0, 1000), Bounds.ANY);
        ToySearchContext context = new ToySearchContext(space, task, 22, 200, ToySpace::score);
        evolution(6, 4, small).search(space, context);
        assertThat(context.trials()).isNotEmpty().allMatch(t -> t.complexity().params() <= 1000);
        Constraints impossible = new Constraints(new Bounds(0, 10), Bounds.ANY);
        assertThatThrownBy(() -> evolution(6, 4, impossible).search(space, new ToySearchContext(space, task, 1, 10, ToySpace::score)))
                .isInstanceOf(UnsatisfiableConstraintsException.class).hasMessageContaining("params limit [0, 10]");
    }
}

package com.example.hillclimbing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creamery.api.Metrics;
import dev.creamery.api.SearchStrategy;
import dev.creamery.api.Task;
import dev.creamery.testkit.SearchStrategyContract;
import dev.creamery.testkit.ToySearchContext;
import dev.creamery.testkit.ToySpace;
import org.junit.jupiter.api.Test;

/** The testkit's strategy contract, plus a check that climbing finds better members than its start. */
class HillClimbingContractTest extends SearchStrategyContract {
    @Override
    protected SearchStrategy strategy() {
        return new HillClimbing(new HillClimbingSettings(8, 3, 0.4));
    }

    @Test
    void climbs() {
        ToySpace space = new ToySpace();
        ToySearchContext context = new ToySearchContext(space, Task.square(1, 4, 3), 5, 100, ToySpace::score);
        var result = strategy().search(space, context);
        double first = context.trials().get(0).metricOrNaN(Metrics.ACCURACY);
        assertThat(result.best().orElseThrow().metricOrNaN(Metrics.ACCURACY)).isGreaterThan(first);
    }
}

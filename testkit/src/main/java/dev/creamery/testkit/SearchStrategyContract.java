package dev.creamery.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creamery.api.Architecture;
import dev.creamery.api.Metrics;
import dev.creamery.api.SearchResult;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.SearchStrategy;
import dev.creamery.api.Task;
import dev.creamery.api.Trial;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SearchStrategy} must do: stay within its budget, return every trial and the
 * best one, and repeat itself exactly under the same seed (which is what makes resume work).
 * Runs on {@link ToySpace} with {@link ToySpace#score} unless the test supplies another space and
 * score.
 */
public abstract class SearchStrategyContract {
    /** @return a new strategy instance */
    protected abstract SearchStrategy strategy();

    /** @return the space to search */
    protected SearchSpace space() {
        return new ToySpace();
    }

    /**
     * @param architecture a member of {@link #space()}
     * @return its stand-in accuracy
     */
    protected double score(Architecture architecture) {
        return ToySpace.score(architecture);
    }

    /** @return the trial budget of the contract's runs */
    protected int budget() {
        return 25;
    }

    /** @return the task */
    protected Task task() {
        return Task.square(1, 4, 3);
    }

    private ToySearchContext run(long seed) {
        SearchSpace space = space();
        ToySearchContext context = new ToySearchContext(space, task(), seed, budget(), this::score);
        SearchResult result = strategy().search(space, context);
        assertThat(result.trials()).containsExactlyElementsOf(context.trials());
        return context;
    }

    @Test
    void staysWithinItsBudget() {
        ToySearchContext context = run(11);
        assertThat(context.trials()).hasSizeLessThanOrEqualTo(budget()).isNotEmpty();
    }

    @Test
    void returnsTheBestTrial() {
        SearchSpace space = space();
        ToySearchContext context = new ToySearchContext(space, task(), 12, budget(), this::score);
        SearchResult result = strategy().search(space, context);
        double best = context.trials().stream().filter(Trial::ok).mapToDouble(t -> t.metricOrNaN(Metrics.ACCURACY)).max().orElseThrow();
        assertThat(result.best()).isPresent();
        assertThat(result.best().get().metricOrNaN(Metrics.ACCURACY)).isEqualTo(best);
        assertThat(result.paretoFront()).isNotEmpty().contains(result.best().get());
    }

    @Test
    void repeatsItselfUnderTheSameSeed() {
        assertThat(run(13).requests()).containsExactlyElementsOf(run(13).requests());
    }

    @Test
    void proposesOnlyMembers() {
        SearchSpace space = space();
        run(14).requests().forEach(space::validate);
    }
}

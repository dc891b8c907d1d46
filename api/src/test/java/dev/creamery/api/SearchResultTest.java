package dev.creamery.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchResultTest {
    private static Trial trial(int number, double accuracy, long params) {
        return new Trial(number, Architecture.of("id", number), new Complexity(params, 1), Trial.Status.OK,
                new Evaluation(Map.of(Metrics.ACCURACY, accuracy, Metrics.PARAMS, (double) params), 0), null);
    }

    @Test
    void bestAndParetoFront() {
        Trial failed = new Trial(4, Architecture.of("id", 4), new Complexity(1, 1), Trial.Status.FAILED, null, "NaN loss");
        List<Trial> trials = List.of(trial(0, 0.80, 100), trial(1, 0.90, 300), trial(2, 0.85, 200), trial(3, 0.84, 250), failed);
        SearchResult result = SearchResult.of(trials, Objective.ACCURACY,
                List.of(Objective.ACCURACY, Objective.minimize(Metrics.PARAMS)));
        assertThat(result.best()).map(Trial::number).contains(1);
        assertThat(result.paretoFront()).extracting(Trial::number).containsExactly(1, 2, 0);
        assertThat(result.trials()).hasSize(5);
    }

    @Test
    void noSuccessfulTrialMeansNoBest() {
        Trial failed = new Trial(0, Architecture.of("id", 0), new Complexity(1, 1), Trial.Status.FAILED, null, "x");
        assertThat(SearchResult.of(List.of(failed), Objective.ACCURACY, List.of()).best()).isEmpty();
    }
}

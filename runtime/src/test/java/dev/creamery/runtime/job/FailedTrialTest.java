package dev.creamery.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.creamery.api.Architecture;
import dev.creamery.api.Constraints;
import dev.creamery.api.Evaluation;
import dev.creamery.api.EvaluationContext;
import dev.creamery.api.Evaluator;
import dev.creamery.api.Metrics;
import dev.creamery.api.Objective;
import dev.creamery.api.SearchResult;
import dev.creamery.api.Trial;
import dev.creamery.api.TrialFailedException;
import dev.creamery.runtime.Fixtures;
import dev.creamery.runtime.io.Journal;
import dev.creamery.runtime.search.RandomSearch;
import dev.creamery.runtime.space.ConvNetSpace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trial whose evaluation fails is journaled as failed, with its reason, and the search goes on. */
class FailedTrialTest {
    @Test
    void failedTrialsAreRecordedAndTheSearchGoesOn(@TempDir Path dir) throws Exception {
        ConvNetSpace space = Fixtures.convnet();
        Evaluator flaky = new Evaluator() {
            @Override
            public Evaluation evaluate(Architecture architecture, EvaluationContext context) {
                if (architecture.getInt("depth") == 1) {
                    throw new TrialFailedException("the loss became NaN at epoch 1, step 3");
                }
                return new Evaluation(Map.of(Metrics.ACCURACY, architecture.getIntList("width")[0] / 10.0), 0);
            }
        };
        try (NDManager manager = NDManager.newBaseManager(); Journal journal = Journal.open(dir.resolve("trials.jsonl"))) {
            var evaluation = Fixtures.context(manager, 1, dir);
            RunSearchContext context = new RunSearchContext(space, flaky, evaluation, journal, 1, 0,
                    Duration.ZERO, List.of(Objective.ACCURACY, Objective.minimize(Metrics.PARAMS)), new InProcessExecutor(new InProcessExecutor.Settings()), null, () -> evaluation);
            SearchResult result = new RandomSearch(new RandomSearch.Settings(12, Constraints.NONE)).search(space, context);
            assertThat(result.trials()).hasSize(12);
            assertThat(result.trials()).filteredOn(t -> t.status() == Trial.Status.FAILED).isNotEmpty()
                    .allSatisfy(t -> assertThat(t.message()).contains("NaN"));
            assertThat(result.best()).get().satisfies(best -> assertThat(best.architecture().getInt("depth")).isEqualTo(2));
        }
        try (Journal reopened = Journal.open(dir.resolve("trials.jsonl"))) {
            assertThat(reopened.trials()).filteredOn(t -> !t.ok()).isNotEmpty()
                    .allSatisfy(t -> assertThat(t.message()).isEqualTo("the loss became NaN at epoch 1, step 3"));
        }
    }
}

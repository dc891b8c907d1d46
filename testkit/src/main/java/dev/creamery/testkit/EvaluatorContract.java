package dev.creamery.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creamery.api.Architecture;
import dev.creamery.api.Evaluation;
import dev.creamery.api.EvaluationContext;
import dev.creamery.api.Evaluator;
import dev.creamery.api.SearchSpace;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Evaluator} must do: report finite metrics, and report the same metrics for the
 * same architecture under the same seed in a fresh run. The test supplies the evaluator, the space
 * and a context (the runtime offers real ones; see docs/plugin-guide.md).
 */
public abstract class EvaluatorContract {
    /** @return a new evaluator instance */
    protected abstract Evaluator evaluator();

    /** @return the space whose members are evaluated */
    protected abstract SearchSpace space();

    /**
     * @param seed the job seed
     * @param directory the run folder for the evaluator's files
     * @return a fresh context
     */
    protected abstract EvaluationContext context(long seed, Path directory);

    @Test
    void isRepeatableUnderTheSameSeed(@TempDir Path first, @TempDir Path second) {
        SearchSpace space = space();
        Architecture member = space.sample(new Random(21));
        Evaluation a = prepareAndEvaluate(space, member, context(5, first));
        Evaluation b = prepareAndEvaluate(space(), member, context(5, second));
        assertThat(b.metrics()).isEqualTo(a.metrics());
    }

    @Test
    void reportsFiniteMetrics(@TempDir Path directory) {
        SearchSpace space = space();
        Evaluation evaluation = prepareAndEvaluate(space, space.sample(new Random(22)), context(6, directory));
        assertThat(evaluation.metrics()).isNotEmpty();
        assertThat(evaluation.metrics().values()).allMatch(Double::isFinite);
        assertThat(evaluation.costSeconds()).isNotNegative();
    }

    private Evaluation prepareAndEvaluate(SearchSpace space, Architecture member, EvaluationContext context) {
        Evaluator evaluator = evaluator();
        evaluator.prepare(space, context);
        return evaluator.evaluate(member, context);
    }
}

package dev.creamery.runtime.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.creamery.api.Architecture;
import dev.creamery.api.Bounds;
import dev.creamery.api.Constraints;
import dev.creamery.api.EvaluationContext;
import dev.creamery.api.Evaluator;
import dev.creamery.api.Metrics;
import dev.creamery.api.RejectedArchitectureException;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.TrainingSettings;
import dev.creamery.runtime.Fixtures;
import dev.creamery.testkit.EvaluatorContract;
import dev.creamery.testkit.ToySpace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatorContractsTest {
    private static final TrainingSettings SHORT = TrainingSettings.builder().epochs(2).batchSize(32)
            .optimizer(TrainingSettings.OptimizerKind.ADAMW).lr(5e-3).minLr(1e-5)
            .warmupEpochs(0).warmupLr(1e-5).weightDecay(0.05)
            .momentum(0.9).labelSmoothing(0.1).clipGradNorm(5).maxStepsPerEpoch(0).build();
    private static final TrainingSettings LONGER = TrainingSettings.builder().epochs(8).batchSize(32)
            .optimizer(TrainingSettings.OptimizerKind.ADAMW).lr(1e-2).minLr(1e-5)
            .warmupEpochs(0.5).warmupLr(1e-5).weightDecay(0.05)
            .momentum(0.9).labelSmoothing(0.1).clipGradNorm(5).maxStepsPerEpoch(0).build();
    private final List<NDManager> managers = new ArrayList<>();

    EvaluationContext context(long seed, Path directory) {
        NDManager manager = NDManager.newBaseManager();
        managers.add(manager);
        return Fixtures.context(manager, seed, directory);
    }

    @AfterEach
    void close() {
        managers.forEach(NDManager::close);
    }

    @Nested
    class OneShot extends EvaluatorContract {
        @Override
        protected Evaluator evaluator() {
            return new OneShotEvaluator(new OneShotEvaluator.Settings(SHORT, SHORT, 0));
        }

        @Override
        protected SearchSpace space() {
            return Fixtures.convnet();
        }

        @Override
        protected EvaluationContext context(long seed, Path directory) {
            return EvaluatorContractsTest.this.context(seed, directory);
        }
    }

    @Nested
    class Train extends EvaluatorContract {
        @Override
        protected Evaluator evaluator() {
            return new TrainEvaluator(new TrainEvaluator.Settings(SHORT));
        }

        @Override
        protected SearchSpace space() {
            return Fixtures.convnet();
        }

        @Override
        protected EvaluationContext context(long seed, Path directory) {
            return EvaluatorContractsTest.this.context(seed, directory);
        }
    }

    @Test
    void oneShotScoresMembersAboveChanceAndRefusesSpacesWithoutSupernet(@TempDir Path dir) {
        EvaluationContext context = context(1, dir);
        OneShotEvaluator evaluator = new OneShotEvaluator(new OneShotEvaluator.Settings(LONGER, SHORT, 0));
        evaluator.prepare(Fixtures.convnet(), context);
        double largest = evaluator.evaluate(Fixtures.convnet().largest(), context).metric(Metrics.ACCURACY);
        double smallest = evaluator.evaluate(Fixtures.convnet().smallest(), context).metric(Metrics.ACCURACY);
        assertThat(largest).as("4 classes: chance is 0.25").isGreaterThan(0.4).isGreaterThan(smallest);
        assertThatThrownBy(() -> evaluator.prepare(new ToySpace(), context)).hasMessageContaining("weight-sharing");
    }

    @Test
    void constraintsRejectBeforeAnyWork(@TempDir Path dir) {
        EvaluationContext context = context(1, dir);
        int[] calls = {0};
        Evaluator counting = new Evaluator() {
            @Override
            public dev.creamery.api.Evaluation evaluate(Architecture architecture, EvaluationContext c) {
                calls[0]++;
                return new dev.creamery.api.Evaluation(java.util.Map.of(Metrics.ACCURACY, 0.5), 0);
            }
        };
        ConstraintsEvaluator evaluator = new ConstraintsEvaluator(new ConstraintsEvaluator.Settings(
                new Constraints(new Bounds(0, 300), Bounds.ANY), counting));
        evaluator.prepare(Fixtures.convnet(), context);
        assertThatThrownBy(() -> evaluator.evaluate(Fixtures.convnet().largest(), context))
                .isInstanceOf(RejectedArchitectureException.class).hasMessageContaining("params outside [0, 300]");
        assertThat(calls[0]).isZero();
        assertThat(evaluator.evaluate(Fixtures.convnet().smallest(), context).metric(Metrics.ACCURACY)).isEqualTo(0.5);
        assertThat(calls[0]).isOne();
    }
}

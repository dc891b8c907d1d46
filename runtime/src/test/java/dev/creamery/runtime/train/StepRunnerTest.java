package dev.creamery.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.creamery.api.StateDict;
import dev.creamery.api.TrainingSettings;
import dev.creamery.api.nn.Linear;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import org.junit.jupiter.api.Test;

class StepRunnerTest {
    /**
     * A linear classifier whose first {@code faulty} backward passes give NaN gradients from a
     * finite loss, as the engine's multi-threaded backward now and then does: {@code 0 * sqrt(0 * w)}
     * is 0 forward, and its derivative is {@code 0 * inf}.
     */
    private static final class Flaky extends Module {
        private final Linear linear;
        private int faulty;
        int passes;

        Flaky(int faulty) {
            this.faulty = faulty;
            linear = addChildBlock("linear", new Linear(4, 3));
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            passes++;
            NDArray y = linear.apply(store, x, training);
            if (faulty-- > 0) {
                NDArray w = store.getValue(linear.getParameters().get("weight"), x.getDevice(), training);
                y = y.add(w.mul(0).sqrt().mul(0).sum());
            }
            return y;
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            return linear.trace(input, macs);
        }
    }

    private static TrainingSettings sgd() {
        return TrainingSettings.builder().epochs(1).batchSize(8).optimizer(TrainingSettings.OptimizerKind.SGD).lr(0.1).minLr(0)
                .warmupEpochs(0).warmupLr(0).weightDecay(0).momentum(0).labelSmoothing(0).clipGradNorm(0).maxStepsPerEpoch(0).build();
    }

    private static StepRunner.Result step(Flaky model, NDManager manager) {
        try (StepRunner runner = new StepRunner(model, sgd(), manager); NDManager step = manager.newSubManager()) {
            NDArray images = step.randomNormal(new Shape(8, 4));
            NDArray labels = step.create(new long[] {0, 1, 2, 0, 1, 2, 0, 1});
            return runner.run(step, images, labels, runner.trainable(), 0.1);
        }
    }

    private static Flaky initialised(int faulty, NDManager manager) {
        Flaky model = new Flaky(faulty);
        model.initialize(manager, DataType.FLOAT32, new Shape(8, 4));
        return model;
    }

    private static float[] weight(Flaky model) {
        return StateDict.names(model).get("linear.weight").getArray().toFloatArray();
    }

    private static boolean weightsFinite(Flaky model) {
        return StateDict.names(model).values().stream().map(Parameter::getArray)
                .allMatch(a -> Float.isFinite(a.abs().sum().getFloat()));
    }

    @Test
    void aStepWithNanGradientsAndAFiniteLossIsComputedAgainAndApplied() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Flaky model = initialised(1, manager);
            float[] before = weight(model);
            StepRunner.Result result = step(model, manager);
            assertThat(model.passes).isEqualTo(2);
            assertThat(result.loss()).isFinite().isPositive();
            assertThat(weightsFinite(model)).isTrue();
            assertThat(weight(model)).isNotEqualTo(before);
        }
    }

    @Test
    void aStepWhoseGradientsStayNanReturnsNanAndLeavesTheWeights() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Flaky model = initialised(2, manager);
            float[] before = weight(model);
            StepRunner.Result result = step(model, manager);
            assertThat(model.passes).isEqualTo(2);
            assertThat(result.loss()).isNaN();
            assertThat(weight(model)).isEqualTo(before);
        }
    }

    @Test
    void aFiniteStepRunsOnce() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Flaky model = initialised(0, manager);
            StepRunner.Result result = step(model, manager);
            assertThat(model.passes).isEqualTo(1);
            assertThat(result.loss()).isFinite();
        }
    }
}

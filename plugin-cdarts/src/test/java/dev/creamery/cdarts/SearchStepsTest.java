package dev.creamery.cdarts;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.creamery.api.Batch;
import dev.creamery.api.ImageSplit;
import dev.creamery.api.Split;
import dev.creamery.api.StateDict;
import dev.creamery.runtime.data.Augmentation;
import dev.creamery.runtime.data.SyntheticData;
import dev.creamery.runtime.job.RunEvaluationContext;
import dev.creamery.testkit.RecordingProgress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which step moves what: the architecture parameters change only in the architecture step (the Adam
 * step on the second half), the search network's weights only in the weight step, the evaluation
 * network in its own warm-up and in the architecture step (where the distillation reaches it).
 */
class SearchStepsTest {
    private static final SyntheticData DATA = new SyntheticData(new SyntheticData.Settings(1, 12, 4, 128, 32, 32, 0.25, 5,
            new Augmentation(0, false)));

    @TempDir
    Path dir;

    @Test
    void architectureParametersMoveOnlyInTheArchitectureStep() {
        DartsSpace space = new DartsSpace(DartsSpaceContractTest.SMALL);
        DifferentiableSearch cdarts = DifferentiableSearch.cdarts(ReferenceConf.cdarts());
        try (NDManager manager = NDManager.newBaseManager()) {
            RecordingProgress progress = new RecordingProgress();
            var lab = new RunEvaluationContext(DATA, manager, 3, progress, dir);
            DifferentiableSearch.Run run = cdarts.new Run(space, lab, manager);
            run.openCycle(0, Genotype.of(run.mixed().derive()));
            List<Parameter> alphas = run.mixed().architectureParameters();
            List<Parameter> weights = run.mixed().weights();
            List<Parameter> evaluation = learnable(run.evaluation());
            ImageSplit train = DATA.split(Split.TRAIN);

            Snapshot before = new Snapshot(alphas, weights, evaluation);
            step(manager, train, batch -> run.weightStep(manager(batch), batch, 0.05, null));
            Snapshot afterWeights = new Snapshot(alphas, weights, evaluation);
            assertThat(afterWeights.alphasMovedFrom(before)).as("α in the weight step").isFalse();
            assertThat(afterWeights.evaluationMovedFrom(before)).as("the evaluation network in the weight step").isFalse();
            assertThat(afterWeights.weightsMovedFrom(before)).as("the weights in the weight step").isTrue();

            step(manager, train, batch -> run.evaluationStep(manager(batch), batch, null));
            Snapshot afterEvaluation = new Snapshot(alphas, weights, evaluation);
            assertThat(afterEvaluation.alphasMovedFrom(afterWeights)).as("α in the evaluation warm-up").isFalse();
            assertThat(afterEvaluation.weightsMovedFrom(afterWeights)).as("the weights in the evaluation warm-up").isFalse();
            assertThat(afterEvaluation.evaluationMovedFrom(afterWeights)).isTrue();

            step(manager, train, batch -> run.architectureStep(manager(batch), batch, null));
            Snapshot afterArchitecture = new Snapshot(alphas, weights, evaluation);
            assertThat(afterArchitecture.alphasMovedFrom(afterEvaluation)).as("α in the architecture step").isTrue();
            assertThat(afterArchitecture.weightsMovedFrom(afterEvaluation)).as("the weights in the architecture step").isFalse();
            assertThat(afterArchitecture.evaluationMovedFrom(afterEvaluation)).as("the evaluation network in the architecture step")
                    .isTrue();
        }
    }

    @Test
    void aCollapseToSkipAndNoneIsReportedWithItsStep() {
        DartsSpace space = new DartsSpace(DartsSpaceContractTest.SMALL);
        DifferentiableSearch darts = DifferentiableSearch.darts(ReferenceConf.darts());
        try (NDManager manager = NDManager.newBaseManager()) {
            RecordingProgress progress = new RecordingProgress();
            DifferentiableSearch.Run run = darts.new Run(space, new RunEvaluationContext(DATA, manager, 3, progress, dir), manager);
            SearchNetwork network = (SearchNetwork) run.mixed();
            run.warnOnCollapse("darts epoch 1/5");
            assertThat(progress.notes()).noneMatch(n -> n.contains("collapsed"));
            int skip = Genotype.PRIMITIVES.indexOf("skip_connect");
            int none = Genotype.PRIMITIVES.indexOf("none");
            for (Parameter alpha : network.alphaNormal()) {
                long inputs = alpha.getArray().getShape().get(0);
                float[] values = new float[(int) inputs * Genotype.PRIMITIVES.size()];
                for (int i = 0; i < inputs; i++) {
                    values[i * Genotype.PRIMITIVES.size() + (i % 2 == 0 ? skip : none)] = 3f;
                }
                try (NDManager scope = manager.newSubManager()) {
                    StateDict.copy(scope.create(values, alpha.getArray().getShape()), alpha.getArray());
                }
            }
            run.warnOnCollapse("darts epoch 2/5");
            assertThat(progress.notes()).anySatisfy(n -> assertThat(n).startsWith("warning: the architecture parameters have collapsed "
                    + "after darts epoch 2/5 (step 0): none or skip_connect is the strongest operation on all 14 edges of the normal cell"));
        }
    }

    private static NDManager manager(Batch batch) {
        return batch.images().getManager();
    }

    private static void step(NDManager manager, ImageSplit train, java.util.function.Consumer<Batch> step) {
        try (NDManager scope = manager.newSubManager()) {
            step.accept(train.batch(scope, IntStream.range(0, 16).toArray(), null));
        }
    }

    private static List<Parameter> learnable(Block block) {
        return StateDict.names(block).values().stream().filter(Parameter::requiresGradient).toList();
    }

    /** The values of three parameter sets at one moment. */
    private static final class Snapshot {
        private final List<float[]> alphas;
        private final List<float[]> weights;
        private final List<float[]> evaluation;

        Snapshot(List<Parameter> alphas, List<Parameter> weights, List<Parameter> evaluation) {
            this.alphas = values(alphas);
            this.weights = values(weights);
            this.evaluation = values(evaluation);
        }

        private static List<float[]> values(List<Parameter> parameters) {
            List<float[]> values = new ArrayList<>();
            for (Parameter p : parameters) {
                NDArray array = p.getArray();
                values.add(array.toFloatArray());
            }
            return values;
        }

        boolean alphasMovedFrom(Snapshot earlier) {
            return moved(alphas, earlier.alphas);
        }

        boolean weightsMovedFrom(Snapshot earlier) {
            return moved(weights, earlier.weights);
        }

        boolean evaluationMovedFrom(Snapshot earlier) {
            return moved(evaluation, earlier.evaluation);
        }

        private static boolean moved(List<float[]> now, List<float[]> then) {
            for (int i = 0; i < now.size(); i++) {
                if (!java.util.Arrays.equals(now.get(i), then.get(i))) {
                    return true;
                }
            }
            return false;
        }
    }
}

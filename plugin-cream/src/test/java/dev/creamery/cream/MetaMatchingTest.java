package dev.creamery.cream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.creamery.api.ComponentKind;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.testkit.Defaults;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The meta-matching network picks the board path whose score is highest for the sampled path, and weighs it sigmoid(-score). */
class MetaMatchingTest {
    private static final Task TASK = Task.square(1, 8, 3);
    private static final List<Integer> DEPTHS = List.of(1, 1, 1, 1, 1);

    @Test
    void picksTheEntryTheOfficialScoreRanksFirst() {
        PrioritizedPathSettings defaults = Defaults.settings(ComponentKind.EVALUATOR, "prioritized-path", PrioritizedPathSettings.class);
        PrioritizedPathSettings settings = new PrioritizedPathSettings(defaults.supernet(), 3, 0, defaults.updateIter(), 2,
                defaults.metaLr(), defaults.accuracyGap(), "meta", defaults.flops(), defaults.recalibrationImages());
        CreamSpace space = new CreamSpace(DEPTHS, 0);
        try (NDManager manager = NDManager.newBaseManager()) {
            CreamSupernet supernet = new CreamSupernet(space, TASK);
            MetaMatching meta = new MetaMatching(2 * 3);
            Board board = new Board(3, 5, DEPTHS, 2, TASK);
            new CreamTraining((CreamNet) supernet.block(), meta, board).initialize(manager, DataType.FLOAT32, TASK.inputShape(1));
            PrioritizedPaths guide = new PrioritizedPaths(space, supernet, meta, board, space.flopsTable(TASK), settings);
            guide.beforeStep(1, new Random(7));

            NDArray images = manager.randomUniform(-1f, 1f, new Shape(2, 1, 8, 8));
            float[][] taught = {{0.2f, 0.4f, 0.4f}, {0.6f, 0.2f, 0.2f}, {0.1f, 0.45f, 0.45f}};
            for (int i = 0; i < 3; i++) {
                NDArray rows = manager.create(new float[][] {taught[i], taught[i]});
                board.admit(new Board.Entry(70 - 10 * i, 1000, new int[] {i, i, i, i, i}), images, rows);
            }
            // Score = the class-0 probability differences of both rows, plus 0.3: highest where the entry's class 0 is smallest.
            StateDict.copy(manager.create(new float[] {1, 0, 0, 1, 0, 0}, new Shape(1, 6)), meta.learnable().get(0).getArray());
            StateDict.copy(manager.create(new float[] {0.3f}), meta.learnable().get(1).getArray());
            try (NDManager scope = manager.newSubManager()) {
                NDArray student = supernet.block().forward(new ParameterStore(scope, false), new ai.djl.ndarray.NDList(images), false)
                        .singletonOrThrow().softmax(1);
                float[] p = student.toFloatArray();
                double[] scores = new double[3];
                for (int i = 0; i < 3; i++) {
                    scores[i] = p[0] - taught[i][0] + p[3] - taught[i][0] + 0.3;
                }
                PrioritizedPaths.Match match = guide.match(scope);
                assertThat(match.entry()).isEqualTo(2);
                assertThat(scores[2]).isGreaterThan(Math.max(scores[0], scores[1]));
                assertThat(match.weight()).isCloseTo(1 / (1 + Math.exp(scores[2])), within(1e-6));
            }
        }
    }
}

package dev.creamery.cream;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.creamery.api.Architecture;
import dev.creamery.api.Batch;
import dev.creamery.api.ComponentKind;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.api.nn.Losses;
import dev.creamery.testkit.Defaults;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The meta-matching network's hypergradient, computed by finite differences of first-order
 * gradients, equals the exact derivative of the official meta objective
 * {@code J(theta) = L_val(w - xi * dL_kd(w, theta)/dw)}, which the test takes by central
 * differences of J itself over every entry of theta, in double precision. What remains (0.02% to
 * 0.25% over seeds) is the truncation error of the finite difference at DARTS' step; a wrong sign or
 * a missing term misses by 100% or more. The images are large enough (64 x 64, slices of 4) that no
 * batch norm normalises over two values, where the meta objective becomes too steep for either
 * finite difference.
 */
class HypergradientTest {
    private static final Task TASK = Task.square(1, 64, 3);
    private static final List<Integer> DEPTHS = List.of(1, 1, 1, 1, 1);
    private static final int SLICE = 4;
    private static final double XI = 0.1;
    private static final double H = 1e-4;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void equalsTheDerivativeOfTheValidationLossAfterTheVirtualStep(int seed) {
        Engine.getInstance().setRandomSeed(seed);
        PrioritizedPathSettings defaults = Defaults.settings(ComponentKind.EVALUATOR, "prioritized-path", PrioritizedPathSettings.class);
        PrioritizedPathSettings settings = new PrioritizedPathSettings(defaults.supernet(), 1, 0, defaults.updateIter(), SLICE,
                XI, defaults.accuracyGap(), "meta", defaults.flops(), defaults.recalibrationImages());
        CreamSpace space = new CreamSpace(DEPTHS, 0);
        try (NDManager manager = NDManager.newBaseManager()) {
            CreamSupernet supernet = new CreamSupernet(space, TASK);
            CreamNet network = (CreamNet) supernet.block();
            MetaMatching meta = new MetaMatching(SLICE * 3);
            Board board = new Board(1, 5, DEPTHS, SLICE, TASK);
            new CreamTraining(network, meta, board).initialize(manager, DataType.FLOAT64, TASK.inputShape(1));
            PrioritizedPaths guide = new PrioritizedPaths(space, supernet, meta, board, space.flopsTable(TASK), settings);
            guide.beforeStep(1, new Random(11));
            Architecture student = supernet.active();

            NDArray boardImages = manager.randomUniform(-1, 1, new Shape(SLICE, 1, 64, 64), DataType.FLOAT64);
            NDArray taught = manager.create(new double[][] {{0.2, 0.5, 0.3}, {0.6, 0.1, 0.3}, {0.3, 0.3, 0.4}, {0.1, 0.1, 0.8}});
            int[] teacherPath = {5, 4, 3, 2, 1};
            board.admit(new Board.Entry(60, 1000, teacherPath), boardImages, taught);
            NDArray images = manager.randomUniform(-1, 1, new Shape(2 * SLICE, 1, 64, 64), DataType.FLOAT64);
            NDArray labels = manager.create(new double[] {0, 2, 1, 2, 1, 0, 0, 2});
            Batch batch = new Batch(images, labels, new int[] {0, 1, 2, 3, 4, 5, 6, 7});
            NDArray x = images.get(new NDIndex("0:" + SLICE));
            NDArray checkImages = images.get(new NDIndex(SLICE + ":"));
            NDArray checkLabels = labels.get(new NDIndex(SLICE + ":"));
            double smoothing = settings.supernet().labelSmoothing();

            supernet.activate(board.architecture(teacherPath));
            NDArray teacher = network.apply(new ParameterStore(manager, false), x, true).softmax(1);
            supernet.activate(student);
            List<Parameter> weights = new ArrayList<>(supernet.activeParameters());
            List<Parameter> theta = meta.learnable();
            double[] before = flat(weights);

            double[] hyper;
            try (NDManager scope = manager.newSubManager()) {
                List<NDArray> gradient = guide.hypergradient(scope, batch);
                hyper = concat(gradient.get(0).toDoubleArray(), gradient.get(1).toDoubleArray());
            }
            double[] after = flat(weights);
            double moved = 0;
            for (int i = 0; i < before.length; i++) {
                moved = Math.max(moved, Math.abs(after[i] - before[i]));
            }
            assertThat(moved).as("the supernet's weights after the meta step's virtual steps").isZero();

            double[] exact = new double[hyper.length];
            for (int j = 0; j < exact.length; j++) {
                double plus = objective(manager, network, meta, theta, weights, j, H, x, teacher, boardImages, taught,
                        checkImages, checkLabels, smoothing);
                double minus = objective(manager, network, meta, theta, weights, j, -H, x, teacher, boardImages, taught,
                        checkImages, checkLabels, smoothing);
                exact[j] = (plus - minus) / (2 * H);
            }
            double norm = 0;
            double error = 0;
            for (int j = 0; j < exact.length; j++) {
                norm += exact[j] * exact[j];
                error += (hyper[j] - exact[j]) * (hyper[j] - exact[j]);
            }
            assertThat(Math.sqrt(norm)).as("the meta objective depends on theta").isGreaterThan(1e-6);
            assertThat(Math.sqrt(error / norm)).as("relative error of the finite-difference hypergradient").isLessThan(0.01);
        }
    }

    /** J with theta's entry {@code j} moved by {@code delta}; every tensor is restored afterwards. */
    private static double objective(NDManager manager, CreamNet network, MetaMatching meta, List<Parameter> theta,
            List<Parameter> weights, int j, double delta, NDArray x, NDArray teacher, NDArray boardImages, NDArray taught,
            NDArray checkImages, NDArray checkLabels, double smoothing) {
        try (NDManager scope = manager.newSubManager()) {
            Parameter moved = j < theta.get(0).getArray().size() ? theta.get(0) : theta.get(1);
            int at = moved == theta.get(0) ? j : j - (int) theta.get(0).getArray().size();
            NDArray original = moved.getArray().duplicate();
            original.attach(scope);
            double[] values = original.toDoubleArray();
            values[at] += delta;
            StateDict.copy(scope.create(values, original.getShape()), moved.getArray());
            List<NDArray> saved = new ArrayList<>();
            try {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    ParameterStore store = new ParameterStore(scope, false);
                    NDArray differences = network.apply(store, boardImages, true).softmax(1).sub(taught);
                    NDArray weight = Activation.sigmoid(meta.score(store, differences).neg()).reshape(new Shape());
                    collector.backward(Losses.softTargetCrossEntropy(network.apply(store, x, true), teacher).mul(weight));
                }
                for (Parameter p : weights) {
                    NDArray w = p.getArray();
                    saved.add(w.duplicate());
                    try (NDArray g = w.getGradient()) {
                        StateDict.copy(w.sub(g.mul(XI)), w);
                        g.muli(0);
                    }
                }
                for (Parameter p : theta) {
                    try (NDArray g = p.getArray().getGradient()) {
                        g.muli(0);
                    }
                }
                NDArray logits = network.apply(new ParameterStore(scope, false), checkImages, true);
                return Losses.crossEntropy(logits, checkLabels, smoothing).getDouble();
            } finally {
                for (int i = 0; i < saved.size(); i++) {
                    StateDict.copy(saved.get(i), weights.get(i).getArray());
                    saved.get(i).close();
                }
                StateDict.copy(original, moved.getArray());
            }
        }
    }

    private static double[] flat(List<Parameter> parameters) {
        double[] all = new double[0];
        for (Parameter p : parameters) {
            all = concat(all, p.getArray().toDoubleArray());
        }
        return all;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] both = new double[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}

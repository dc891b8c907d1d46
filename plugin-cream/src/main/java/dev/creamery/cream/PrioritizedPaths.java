package dev.creamery.cream;

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
import dev.creamery.api.Bounds;
import dev.creamery.api.SoftTargets;
import dev.creamery.api.StateDict;
import dev.creamery.api.StepHook;
import dev.creamery.api.nn.Autograd;
import dev.creamery.api.nn.Losses;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;

/**
 * Cream's training of the supernet, step by step, on top of the shared one-shot loop: before each
 * step a path is sampled uniformly within the FLOPs window ({@link StepHook}); once the warm-up is
 * over and the board holds a path, the step distils from the board path that the meta-matching
 * network matches best to the sampled one, weighted by the matching score
 * ({@link SoftTargets}: loss {@code (m * KD + (2 - m) * CE) / 2}); after the step the path enters the
 * board if its batch accuracy earns it. Every {@code update-iter} steps the meta-matching network
 * learns, second-order, how much a teacher's distillation step helps the sampled path on the next
 * slice of the batch.
 *
 * <p>The second-order term is computed by finite differences of first-order gradients (as DARTS
 * approximates it), since DJL's gradient collector does not build graphs of gradients; see
 * docs/cream.md for this and the other places where the official code is not followed to the letter.
 */
final class PrioritizedPaths implements StepHook, SoftTargets {
    /** DARTS' finite-difference step, relative to the norm of the validation gradient. */
    private static final double EPSILON = 0.01;
    private static final int MAX_DRAWS = 10_000;

    private final CreamSpace space;
    private final CreamSupernet supernet;
    private final CreamNet network;
    private final MetaMatching meta;
    private final Board board;
    private final FlopsTable table;
    private final PrioritizedPathSettings settings;

    private long step;
    private int epoch;
    private Architecture student;
    private long studentFlops;
    private double matching;
    private NDArray taughtSlice;

    PrioritizedPaths(CreamSpace space, CreamSupernet supernet, MetaMatching meta, Board board, FlopsTable table,
            PrioritizedPathSettings settings) {
        this.space = space;
        this.supernet = supernet;
        this.network = (CreamNet) supernet.block();
        this.meta = meta;
        this.board = board;
        this.table = table;
        this.settings = settings;
    }

    @Override
    public Collection<Parameter> beforeStep(long globalStep, Random random) {
        step = globalStep;
        student = sample(random);
        studentFlops = table.flops(student);
        supernet.activate(student);
        return supernet.activeParameters();
    }

    /** A uniform path within the FLOPs window (rejection sampling; the window is known to hold one). */
    private Architecture sample(Random random) {
        Bounds window = settings.flops();
        for (int draw = 0; draw < MAX_DRAWS; draw++) {
            Architecture path = space.sample(random);
            if (window.contains(table.flops(path))) {
                return path;
            }
        }
        throw new IllegalStateException("no path within the FLOPs window " + window + " in " + MAX_DRAWS
                + " uniform draws; widen evaluator.flops");
    }

    @Override
    public NDArray of(NDManager scope, int currentEpoch, Batch batch, long[] augmentationSeeds) {
        epoch = currentEpoch;
        taughtSlice = null;
        if (epoch <= settings.warmupEpochs() || board.isEmpty()) {
            return null;
        }
        if (settings.pick().equals("meta") && step > 0 && step % settings.updateIter() == 0) {
            metaUpdate(scope, batch);
        }
        Match match = match(scope);
        matching = match.weight();
        NDArray taught = run(board.architecture(board.entries().get(match.entry()).path()), batch.images(), scope).softmax(1);
        taughtSlice = taught.get(new NDIndex("0:" + settings.slice()));
        return taught;
    }

    /** The distillation's share of the loss is half the matching score, the labels' the rest: {@code (m KD + (2 - m) CE) / 2}. */
    @Override
    public double weight(double configured) {
        return matching / 2;
    }

    @Override
    public void afterStep(NDManager scope, Batch batch, long correct) {
        if (epoch <= settings.warmupEpochs()) {
            return;
        }
        double accuracy = 100.0 * correct / batch.size();
        if (!board.admits(accuracy, studentFlops)) {
            return;
        }
        NDArray images = batch.images().get(new NDIndex("0:" + settings.slice()));
        // The first entry learns from its own prediction; later ones keep what the step's teacher taught them.
        NDArray taught = taughtSlice != null ? taughtSlice
                : network.apply(new ParameterStore(scope, false), images, false).softmax(1);
        board.admit(new Board.Entry(accuracy, studentFlops, Board.path(student)), images, taught);
    }

    /** The board entry whose path teaches the sampled one, and the weight of its lesson. */
    record Match(int entry, double weight) {}

    /**
     * With {@code pick = meta}, the entry the meta-matching network scores highest for the sampled
     * path, weighted by {@code sigmoid(-score)} of that entry; with {@code top1}, the best entry at 0.5.
     */
    Match match(NDManager scope) {
        if (settings.pick().equals("top1")) {
            return new Match(0, 0.5);
        }
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        // One forward of every entry's images: in evaluation mode each image's output is its own.
        int entries = board.entries().size();
        NDArray images = board.images(scope);
        Shape shape = images.getShape();
        NDArray flat = images.reshape(new Shape(shape.get(0) * shape.get(1)).addAll(shape.slice(2)));
        ParameterStore store = new ParameterStore(scope, false);
        NDArray taught = network.apply(store, flat, false).softmax(1);
        double[] scores = meta.scores(store, taught.reshape(entries, -1).sub(board.probabilities(scope).reshape(entries, -1)))
                .toType(DataType.FLOAT64, false).toDoubleArray();
        for (int i = 0; i < entries; i++) {
            if (scores[i] > bestScore) {
                bestScore = scores[i];
                best = i;
            }
        }
        return new Match(best, 1 / (1 + Math.exp(bestScore)));
    }

    /** The sampled path's probabilities on entry {@code i}'s images minus the entry's. */
    private NDArray differences(ParameterStore store, int i, NDManager scope, boolean training) {
        return network.apply(store, board.images(i, scope), training).softmax(1).sub(board.probabilities(i, scope));
    }

    /** Runs another path of the supernet on a batch, without gradients, then activates the sampled path again. */
    private NDArray run(Architecture path, NDArray images, NDManager scope) {
        supernet.activate(path);
        try {
            return network.apply(new ParameterStore(scope, false), images, true);
        } finally {
            supernet.activate(student);
        }
    }

    /** The meta-matching network's update: one step of its own optimizer along {@link #hypergradient}. */
    private void metaUpdate(NDManager scope, Batch batch) {
        List<NDArray> hyper = hypergradient(scope, batch);
        if (hyper != null) {
            meta.step(hyper, settings.metaLr(), scope);
        }
    }

    /**
     * With {@code L_kd(w, theta) = m(theta, w) * CE(f_w(x), teacher(x))} on the batch's first slice
     * and {@code L_val} the label loss on its second, the gradient of {@code L_val(w - xi * dL_kd/dw)}
     * with respect to theta is {@code -xi * d2L_kd/(dtheta dw) * v}, {@code v = dL_val/dw'}, which the
     * difference of {@code dL_kd/dtheta} at {@code w +- eps * v} gives. The virtual step {@code xi}
     * is the meta learning rate, as in the official code. The supernet's weights are left as they were.
     *
     * @return the gradient for each tensor of {@link MetaMatching#learnable}, or null where {@code v} is zero
     */
    List<NDArray> hypergradient(NDManager scope, Batch batch) {
        int s = settings.slice();
        NDArray x = batch.images().get(new NDIndex("0:" + s));
        NDArray checkImages = batch.images().get(new NDIndex(s + ":" + 2 * s));
        NDArray checkLabels = batch.labels().get(new NDIndex(s + ":" + 2 * s));
        int entry = match(scope).entry();
        NDArray teacher = run(board.architecture(board.entries().get(entry).path()), x, scope).softmax(1);
        List<Parameter> weights = new ArrayList<>(supernet.activeParameters());
        List<Parameter> theta = meta.learnable();
        double xi = settings.metaLr();

        distillationBackward(scope, x, teacher, entry);
        List<NDArray> original = copies(weights, scope);
        List<NDArray> gradient = takeGradients(weights, theta, scope).subList(0, weights.size());
        try {
            set(weights, original, gradient, -xi, scope);
            try (GradientCollector collector = Autograd.record()) {
                NDArray logits = network.apply(new ParameterStore(scope, false), checkImages, true);
                collector.backward(Losses.crossEntropy(logits, checkLabels, settings.supernet().labelSmoothing()));
            }
            List<NDArray> v = takeGradients(weights, theta, scope).subList(0, weights.size());
            double norm = 0;
            for (NDArray g : v) {
                norm += g.square().sum().toType(DataType.FLOAT64, false).getDouble();
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                return null;
            }
            double eps = EPSILON / norm;
            set(weights, original, v, eps, scope);
            distillationBackward(scope, x, teacher, entry);
            List<NDArray> plus = takeGradients(weights, theta, scope).subList(weights.size(), weights.size() + theta.size());
            set(weights, original, v, -eps, scope);
            distillationBackward(scope, x, teacher, entry);
            List<NDArray> minus = takeGradients(weights, theta, scope).subList(weights.size(), weights.size() + theta.size());
            List<NDArray> hyper = new ArrayList<>();
            for (int i = 0; i < theta.size(); i++) {
                hyper.add(plus.get(i).sub(minus.get(i)).mul(-xi / (2 * eps)));
            }
            return hyper;
        } finally {
            for (int i = 0; i < weights.size(); i++) {
                StateDict.copy(original.get(i), weights.get(i).getArray());
            }
        }
    }

    /** Back-propagates {@code L_kd = sigmoid(-score) * CE(student(x), teacher)} for the given board entry. */
    private void distillationBackward(NDManager scope, NDArray x, NDArray teacher, int entry) {
        try (GradientCollector collector = Autograd.record()) {
            ParameterStore store = new ParameterStore(scope, false);
            NDArray weight = Activation.sigmoid(meta.score(store, differences(store, entry, scope, true)).neg());
            NDArray kd = Losses.softTargetCrossEntropy(network.apply(store, x, true), teacher);
            collector.backward(kd.mul(weight.reshape(new Shape())));
        }
    }

    private static List<NDArray> copies(List<Parameter> parameters, NDManager scope) {
        List<NDArray> copies = new ArrayList<>();
        for (Parameter p : parameters) {
            copies.add(scope.zeros(p.getArray().getShape()).add(p.getArray()));
        }
        return copies;
    }

    /** Copies out the gradients of both lists, in order, and zeroes them for the next pass. */
    private static List<NDArray> takeGradients(List<Parameter> weights, List<Parameter> theta, NDManager scope) {
        List<NDArray> taken = new ArrayList<>();
        for (List<Parameter> group : List.of(weights, theta)) {
            for (Parameter p : group) {
                try (NDArray gradient = p.getArray().getGradient()) {
                    taken.add(scope.zeros(gradient.getShape()).add(gradient));
                    gradient.muli(0);
                }
            }
        }
        return taken;
    }

    /** Sets each weight to {@code original + factor * direction}. */
    private static void set(List<Parameter> weights, List<NDArray> original, List<NDArray> direction, double factor, NDManager scope) {
        for (int i = 0; i < weights.size(); i++) {
            StateDict.copy(original.get(i).add(direction.get(i).mul(factor)), weights.get(i).getArray());
        }
    }
}

package dev.creamery.cream;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import dev.creamery.api.Architecture;
import dev.creamery.api.Evaluation;
import dev.creamery.api.EvaluationContext;
import dev.creamery.api.Evaluator;
import dev.creamery.api.FitOptions;
import dev.creamery.api.InheritedWeights;
import dev.creamery.api.Proposals;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.Split;
import dev.creamery.api.Task;
import java.util.List;
import java.util.Optional;

/**
 * Cream's one-shot evaluation ("Cream of the Crop", Peng et al., NeurIPS 2020): trains the
 * {@code cream} space's supernet with prioritized paths ({@link PrioritizedPaths}), with per-epoch
 * checkpoints that hold the board and the meta-matching network; then scores members with the
 * weights they inherit, on the validation split, their batch norms recalibrated first, like the
 * {@code one-shot} evaluator. Its board,
 * best first, is what it proposes to the {@code board} strategy.
 */
public final class PrioritizedPathEvaluator implements Evaluator, InheritedWeights, Proposals {
    private final PrioritizedPathSettings settings;
    private CreamSpace space;
    private CreamSupernet supernet;
    private Board board;
    private EvaluationContext trainedIn;

    /** @param settings the settings */
    public PrioritizedPathEvaluator(PrioritizedPathSettings settings) {
        this.settings = settings;
    }

    @Override
    public void prepare(SearchSpace searchSpace, EvaluationContext context) {
        if (!(searchSpace instanceof CreamSpace cream)) {
            throw new IllegalArgumentException("the prioritized-path evaluator trains the supernet of the cream space; "
                    + searchSpace.getClass().getSimpleName() + " is another space: use space { type = cream } or evaluator { type = one-shot }");
        }
        Task task = context.task();
        FlopsTable table = cream.flopsTable(task);
        if (!settings.flops().overlaps(table.minimum(), table.maximum())) {
            throw new IllegalArgumentException("evaluator.flops " + settings.flops() + " admits no path: the paths of this space have "
                    + table.minimum() + " to " + table.maximum() + " FLOPs at " + task.height() + "x" + task.width()
                    + "; widen the window or change the space's depths");
        }
        space = cream;
        trainedIn = context;
        context.seedEngine("supernet-init");
        supernet = new CreamSupernet(cream, task);
        MetaMatching meta = new MetaMatching(settings.slice() * task.classes());
        board = new Board(settings.boardSize(), settings.accuracyGap(), cream.depths(), settings.slice(), task);
        CreamTraining training = new CreamTraining((CreamNet) supernet.block(), meta, board);
        training.initialize(context.manager(), DataType.FLOAT32, task.inputShape(1));
        PrioritizedPaths guide = new PrioritizedPaths(cream, supernet, meta, board, table, settings);
        context.training().fit(training, settings.supernet(), FitOptions.named("supernet").checkpointed().hook(guide)
                .softTargets(guide, 0.5));
        board.reload();
        context.progress().note("prioritized board after training: " + board.entries().size() + " path(s)"
                + (board.isEmpty() ? "" : ", best batch accuracy " + board.entries().get(0).accuracy() + "%"));
    }

    @Override
    public Evaluation evaluate(Architecture architecture, EvaluationContext context) {
        requirePrepared();
        long start = System.nanoTime();
        supernet.activate(architecture);
        context.training().recalibrate(supernet.block(), settings.recalibrationImages());
        return Evaluation.of(context.training().evaluate(supernet.block(), Split.VALIDATION), start);
    }

    @Override
    public Optional<Block> inherit(Architecture architecture, NDManager manager) {
        requirePrepared();
        space.validate(architecture);
        supernet.activate(architecture);
        trainedIn.training().recalibrate(supernet.block(), settings.recalibrationImages());
        return Optional.of(supernet.extract(architecture, manager));
    }

    /** The board's paths, best batch accuracy first. */
    @Override
    public List<Architecture> proposals() {
        return board == null ? List.of() : board.entries().stream().map(e -> board.architecture(e.path())).toList();
    }

    private void requirePrepared() {
        if (supernet == null) {
            throw new IllegalStateException("prioritized-path evaluator used before prepare()");
        }
    }
}

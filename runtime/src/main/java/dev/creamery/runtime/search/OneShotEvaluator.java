package dev.creamery.runtime.search;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import dev.creamery.api.Architecture;
import dev.creamery.api.Evaluation;
import dev.creamery.api.EvaluationContext;
import dev.creamery.api.Evaluator;
import dev.creamery.api.FitOptions;
import dev.creamery.api.InheritedWeights;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.Split;
import dev.creamery.api.Subspace;
import dev.creamery.api.Supernet;
import dev.creamery.api.TrainingSettings;
import dev.creamery.api.WeightSharingSpace;
import java.util.Optional;

/**
 * One-shot evaluation: trains the space's supernet once, activating a uniformly sampled member at
 * every step (SPOS, AutoFormer), with per-epoch checkpoints; then scores each member with the
 * weights it inherits, on the validation split, its batch norms recalibrated first (SPOS).
 *
 * <p>Prepared again for a {@link Subspace} of the space it trained (a phase of a search-space
 * search), it keeps the supernet and refines it for the {@code refine} schedule, sampling from the
 * subspace only: the weights are inherited from step to step, as S3 does.
 */
public final class OneShotEvaluator implements Evaluator, InheritedWeights {
    private final Settings settings;
    private SearchSpace root;
    private Supernet supernet;
    private EvaluationContext trainedIn;
    private int preparations;

    /**
     * @param supernet how to train the supernet
     * @param refine how to go on training it when prepared again for a subspace (0 epochs: not at all)
     * @param recalibrationImages training images each member's batch norms are recalibrated on before it is
     *     scored or extracted ({@link dev.creamery.api.Training#recalibrate}); 0: never
     */
    public record Settings(TrainingSettings supernet, TrainingSettings refine, int recalibrationImages) {
        /** Checks the recalibration's size: a batch norm needs two values to normalise. */
        public Settings {
            if (recalibrationImages < 0 || recalibrationImages == 1) {
                throw new IllegalArgumentException("recalibration-images must be 0 (off) or at least 2, got " + recalibrationImages);
            }
        }
    }

    /** @param settings the settings */
    public OneShotEvaluator(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void prepare(SearchSpace searchSpace, EvaluationContext context) {
        if (!(searchSpace instanceof WeightSharingSpace sharing)) {
            throw new IllegalArgumentException("the one-shot evaluator needs a weight-sharing space (one with a supernet); "
                    + searchSpace.getClass().getSimpleName() + " has none: use evaluator { type = train } instead");
        }
        // Only a narrower view of the space trained in this very run continues its supernet; the
        // space itself (a new run, or the same job run again) starts a new one.
        if (supernet != null && context == trainedIn && searchSpace instanceof Subspace subspace && subspace.root() == root) {
            preparations++;
            if (settings.refine().epochs() > 0) {
                train(sharing, context, settings.refine(), "supernet-" + preparations);
            }
            return;
        }
        root = searchSpace instanceof Subspace subspace ? subspace.root() : searchSpace;
        trainedIn = context;
        preparations = 1;
        context.seedEngine("supernet-init");
        supernet = sharing.supernet(context.task());
        supernet.block().initialize(context.manager(), DataType.FLOAT32, context.task().inputShape(1));
        train(sharing, context, settings.supernet(), "supernet");
    }

    private void train(WeightSharingSpace sampled, EvaluationContext context, TrainingSettings schedule, String name) {
        context.training().fit(supernet.block(), schedule, FitOptions.named(name).checkpointed()
                .hook((step, random) -> {
                    supernet.activate(sampled.sample(random));
                    return supernet.activeParameters();
                }));
    }

    @Override
    public Evaluation evaluate(Architecture architecture, EvaluationContext context) {
        if (supernet == null) {
            throw new IllegalStateException("one-shot evaluator used before prepare()");
        }
        long start = System.nanoTime();
        supernet.activate(architecture);
        context.training().recalibrate(supernet.block(), settings.recalibrationImages());
        return Evaluation.of(context.training().evaluate(supernet.block(), Split.VALIDATION), start);
    }

    /**
     * Any member of the space the supernet was built for inherits, not only one of the space it was
     * last prepared for: a search of the search space may finish with a member of an earlier window.
     */
    @Override
    public Optional<Block> inherit(Architecture architecture, NDManager manager) {
        if (supernet == null) {
            throw new IllegalStateException("one-shot evaluator used before prepare()");
        }
        root.validate(architecture);
        supernet.activate(architecture);
        trainedIn.training().recalibrate(supernet.block(), settings.recalibrationImages());
        return Optional.of(supernet.extract(architecture, manager));
    }
}

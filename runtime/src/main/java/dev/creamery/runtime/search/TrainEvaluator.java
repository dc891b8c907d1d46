package dev.creamery.runtime.search;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import dev.creamery.api.Architecture;
import dev.creamery.api.Evaluation;
import dev.creamery.api.EvaluationContext;
import dev.creamery.api.Evaluator;
import dev.creamery.api.FitOptions;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.Split;
import dev.creamery.api.TrainingReport;
import dev.creamery.api.TrainingSettings;

/**
 * Proxy evaluation: trains each member from scratch for a short schedule and scores it on the
 * validation split. Initialisation is seeded by the job seed and the architecture, so an
 * evaluation repeats exactly.
 */
public final class TrainEvaluator implements Evaluator {
    private final Settings settings;
    private SearchSpace space;

    /** @param training the proxy training schedule */
    public record Settings(TrainingSettings training) {}

    /** @param settings the settings */
    public TrainEvaluator(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void prepare(SearchSpace searchSpace, EvaluationContext context) {
        this.space = searchSpace;
    }

    @Override
    public Evaluation evaluate(Architecture architecture, EvaluationContext context) {
        long start = System.nanoTime();
        try (NDManager trial = context.manager().newSubManager()) {
            Block block = space.build(architecture, context.task());
            context.seeded("init:" + architecture.canonical(),
                    () -> block.initialize(trial, DataType.FLOAT32, context.task().inputShape(1)));
            TrainingReport report = context.training().fit(block, settings.training(), FitOptions.named("trial"));
            Evaluation evaluation = Evaluation.of(context.training().evaluate(block, Split.VALIDATION), start);
            return report.epochs().isEmpty() ? evaluation
                    : evaluation.with("train_loss", report.epochs().get(report.epochs().size() - 1).loss());
        }
    }
}

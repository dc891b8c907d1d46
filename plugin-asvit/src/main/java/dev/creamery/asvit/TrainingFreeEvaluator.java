package dev.creamery.asvit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import dev.creamery.api.Architecture;
import dev.creamery.api.Evaluation;
import dev.creamery.api.EvaluationContext;
import dev.creamery.api.Evaluator;
import dev.creamery.api.ImageSplit;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.Split;
import dev.creamery.api.TrialFailedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Scores architectures at initialisation with the training-free measures, following the official
 * protocol ({@link TrainingFreeMeasures}): {@link AsVitMetrics#NTK_CONDITION} on one fixed batch of
 * training images, {@link AsVitMetrics#LENGTH_DISTORTION} along fixed random curves, or both on the
 * same weight draws. The batch and the curves are drawn once in {@link #prepare} from the job's
 * seed, as the official search fixes them for a whole run; each architecture's weight draws come
 * from the job's seed and its canonical form, so a score is repeatable.
 */
public final class TrainingFreeEvaluator implements Evaluator {
    private final TrainingFreeMeasures measures;
    private final boolean ntk;
    private final boolean lengthDistortion;
    private SearchSpace space;
    private NDArray batch;
    private List<Curve> curves;

    /** The training-free measures an evaluator takes. */
    public enum Measure {
        /** {@link AsVitMetrics#NTK_CONDITION}. */
        NTK_CONDITION,
        /** {@link AsVitMetrics#LENGTH_DISTORTION}. */
        LENGTH_DISTORTION
    }

    /**
     * @param measures batch size, repeats, curve points
     * @param which the measures to take (at least one)
     */
    public TrainingFreeEvaluator(TrainingFreeMeasures measures, Set<Measure> which) {
        if (which.isEmpty()) {
            throw new IllegalArgumentException("measure at least one of the NTK condition number and the length distortion");
        }
        this.measures = measures;
        this.ntk = which.contains(Measure.NTK_CONDITION);
        this.lengthDistortion = which.contains(Measure.LENGTH_DISTORTION);
    }

    @Override
    public void prepare(SearchSpace searchSpace, EvaluationContext context) {
        this.space = searchSpace;
        if (ntk) {
            ImageSplit train = context.data().split(Split.TRAIN);
            if (train.size() < measures.batchSize()) {
                throw new IllegalStateException("the NTK needs a batch of " + measures.batchSize() + " training images but the data has "
                        + train.size());
            }
            Random random = context.random("asvit-ntk-batch");
            int[] all = new int[train.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            int[] indices = new int[measures.batchSize()];
            for (int i = 0; i < indices.length; i++) {
                int j = i + random.nextInt(all.length - i);
                int t = all[i];
                all[i] = all[j];
                all[j] = t;
                indices[i] = all[i];
            }
            batch = train.batch(context.manager(), indices, null).images();
        }
        if (lengthDistortion) {
            curves = measures.curves(context.task().imageShape(), context.random("asvit-curves"));
        }
    }

    @Override
    public Evaluation evaluate(Architecture architecture, EvaluationContext context) {
        if (space == null) {
            throw new IllegalStateException("prepare() must run before evaluate()");
        }
        long start = System.nanoTime();
        try (NDManager trial = context.manager().newSubManager()) {
            Block block = space.build(architecture, context.task());
            if (!(block instanceof TrainingFreeNetwork network)) {
                throw new IllegalStateException("the training-free measures probe As-ViT networks, but " + space + " builds "
                        + block.getClass().getSimpleName());
            }
            network.initialize(trial, DataType.FLOAT32, context.task().inputShape(1));
            TrainingFreeMeasures.Result result = measures.measure(network, ntk ? batch : null, lengthDistortion ? curves : null,
                    context.random(architecture.canonical()));
            Map<String, Double> metrics = new LinkedHashMap<>();
            if (ntk) {
                metrics.put(AsVitMetrics.NTK_CONDITION, finite(result.meanNtk(), "NTK condition number", result.ntk()));
            }
            if (lengthDistortion) {
                metrics.put(AsVitMetrics.LENGTH_DISTORTION, finite(result.meanLengthDistortion(), "length distortion",
                        result.lengthDistortion()));
            }
            return new Evaluation(metrics, (System.nanoTime() - start) / 1e9);
        }
    }

    private static double finite(double mean, String what, double[] repeats) {
        if (!Double.isFinite(mean)) {
            throw new TrialFailedException("the " + what + " is not finite (" + java.util.Arrays.toString(repeats)
                    + " over the weight draws): the network's gradients or features are degenerate at initialisation");
        }
        return mean;
    }

    @Override
    public String toString() {
        return (ntk && lengthDistortion ? "training-free" : ntk ? "ntk-condition" : "length-distortion") + " " + measures;
    }
}

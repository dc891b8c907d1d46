package dev.creamery.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.creamery.api.Architecture;
import dev.creamery.api.StateDict;
import dev.creamery.api.Supernet;
import dev.creamery.api.Task;
import dev.creamery.api.TrainingSettings;
import dev.creamery.api.WeightSharingSpace;
import dev.creamery.api.nn.Module;
import dev.creamery.runtime.train.Engines;
import dev.creamery.runtime.train.StepRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * Measures a model on this machine: images per second at given batch sizes (median of several
 * timed runs after warm-up), inference or training, and the achieved multiply-accumulate rate as a
 * fraction of the engine's float32 matmul ceiling measured in the same run.
 */
public final class Profiler {
    /** Members differ in size, so a supernet profile times this many sampled members per repeat. */
    private static final int STEPS_PER_REPEAT = 5;
    /** Warm-up before timing: at least this many passes (and {@link #warmUpSeconds}). */
    private static final int WARM_UP_PASSES = 3;

    /**
     * How long a measurement of this machine's steady speed warms up. A few passes warm the engine's
     * caches, but the JVM compiles the hundreds of calls a pass makes only after thousands of them: a
     * small network at batch 1 ran at half its steady speed after three passes.
     */
    public static final double STEADY_WARM_UP_SECONDS = 3;

    private final int repeats;
    private final double warmUpSeconds;

    /**
     * @param repeats timed runs per batch size (the median is reported)
     * @param warmUpSeconds how long to warm up before timing, at least ({@link #STEADY_WARM_UP_SECONDS}
     *     for the steady speed; 0 for three passes, where the JVM is warm already)
     */
    public Profiler(int repeats, double warmUpSeconds) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1");
        }
        this.repeats = repeats;
        this.warmUpSeconds = warmUpSeconds;
    }

    /**
     * @param model the model
     * @param params its learnable parameter count (as built)
     * @param flops its multiply-accumulates per image
     * @param threads the engine's intra-op threads
     * @param ceiling the 1024² float32 matmul rate, multiply-accumulates per second
     * @param measurements one per batch size and mode
     */
    public record Profile(String model, long params, long flops, int threads, double ceiling, List<Measurement> measurements) {}

    /**
     * @param mode {@code inference} or {@code training}
     * @param batch the batch size
     * @param imagesPerSecond the median throughput
     * @param macsPerSecond multiply-accumulates per second achieved (training counts 3 per forward MAC: forward and backward)
     * @param fractionOfCeiling {@code macsPerSecond / ceiling}
     */
    public record Measurement(String mode, int batch, double imagesPerSecond, double macsPerSecond, double fractionOfCeiling) {}

    /**
     * @param batch the batch size
     * @return the schedule of timed training steps: AdamW at a fixed small rate, no clipping, as a
     *     training step of the shared loop costs
     */
    public static TrainingSettings timedSchedule(int batch) {
        return TrainingSettings.builder().epochs(1).batchSize(batch)
                .optimizer(TrainingSettings.OptimizerKind.ADAMW).lr(1e-4).minLr(0)
                .warmupEpochs(0).warmupLr(0).weightDecay(0.05)
                .momentum(0.9).labelSmoothing(0.1).clipGradNorm(0).maxStepsPerEpoch(0).build();
    }

    /**
     * @param model the model to measure (random weights)
     * @param batches batch sizes
     * @param training also (or only) time training steps: forward, backward, AdamW
     * @param inference time inference
     * @param manager where to allocate
     * @return the profile
     */
    public Profile profile(ResolvedModel model, int[] batches, boolean inference, boolean training, NDManager manager) {
        double ceiling = Engines.matmulCeiling(manager, Math.max(5, repeats));
        List<Measurement> measurements = new ArrayList<>();
        long params;
        try (NDManager scope = manager.newSubManager()) {
            Block block = model.build(scope);
            params = StateDict.countParameters(block);
            for (int batch : batches) {
                if (inference) {
                    // The deploy form, as the official code times its models (a training step below drops it).
                    Module.prepareInference(block);
                    double seconds = secondsPerBatch(block, model.task(), batch, scope);
                    measurements.add(measurement("inference", batch, seconds, model.complexity().flops(), ceiling));
                }
                if (training) {
                    try (StepRunner runner = new StepRunner(block, timedSchedule(batch), scope)) {
                        double seconds = median(() -> train(runner, runner.trainable(), model.task(), batch, scope));
                        measurements.add(measurement("training", batch, seconds, 3 * model.complexity().flops(), ceiling));
                    }
                }
            }
        }
        return new Profile(model.name(), params, model.complexity().flops(), Engines.threads(), ceiling, measurements);
    }

    /**
     * Measures a weight-sharing space's supernet as the one-shot evaluator uses it: training steps
     * that each activate a uniformly sampled member (forward, backward and AdamW over the member's
     * weights), and evaluation of sampled members with the weights they inherit. Members differ in
     * size, so each mode reports its total images over its total time (after warm-up steps), and
     * the FLOP rate from the analytic multiply-accumulates of the members actually run.
     *
     * @param name what to call the profile
     * @param space the space
     * @param task the task its members are built for
     * @param batches batch sizes
     * @param inference measure member evaluation
     * @param training measure supernet training steps
     * @param seed the seed of the sampled members
     * @param manager where to allocate
     * @return the profile; its {@code flops} is the mean over the members timed
     */
    public Profile profileSupernet(String name, WeightSharingSpace space, Task task, int[] batches, boolean inference,
            boolean training, long seed, NDManager manager) {
        double ceiling = Engines.matmulCeiling(manager, Math.max(5, repeats));
        Random random = new Random(seed);
        List<Measurement> measurements = new ArrayList<>();
        Run all = new Run();
        long params;
        try (NDManager scope = manager.newSubManager()) {
            Engines.seed(seed);
            Supernet supernet = space.supernet(task);
            supernet.block().initialize(scope, DataType.FLOAT32, task.inputShape(1));
            params = StateDict.countParameters(supernet.block());
            for (int batch : batches) {
                if (inference) {
                    Run run = new Run();
                    Engines.withoutGradients(() -> {
                        run.time(space, supernet, task, random, STEPS_PER_REPEAT * repeats,
                                () -> infer(supernet.block(), task, batch, scope), batch);
                        return null;
                    });
                    measurements.add(run.measurement("inference", batch, 1, ceiling));
                    all.add(run);
                }
                if (training) {
                    try (StepRunner runner = new StepRunner(supernet.block(), timedSchedule(batch), scope)) {
                        Run run = new Run();
                        run.time(space, supernet, task, random, STEPS_PER_REPEAT * repeats,
                                () -> train(runner, supernet.activeParameters(), task, batch, scope), batch);
                        measurements.add(run.measurement("training", batch, 3, ceiling));
                        all.add(run);
                    }
                }
            }
        }
        return new Profile(name, params, Math.round(all.macs / all.images), Engines.threads(), ceiling, measurements);
    }

    /** Totals of timed steps over sampled members. */
    private final class Run {
        double seconds;
        double images;
        double macs;

        /** Runs warm-up steps, then {@code steps} timed ones, each on a freshly sampled and activated member. */
        void time(WeightSharingSpace space, Supernet supernet, Task task, Random random, int steps,
                DoubleSupplier step, int batch) {
            warmUp(() -> {
                supernet.activate(space.sample(random));
                return step.getAsDouble();
            });
            for (int i = 0; i < steps; i++) {
                Architecture member = space.sample(random);
                supernet.activate(member);
                seconds += step.getAsDouble();
                images += batch;
                macs += (double) space.complexity(member, task).flops() * batch;
            }
        }

        void add(Run other) {
            seconds += other.seconds;
            images += other.images;
            macs += other.macs;
        }

        /** @param passes multiply-accumulates per forward one (3 for training: forward and backward) */
        Measurement measurement(String mode, int batch, int passes, double ceiling) {
            double rate = passes * macs / seconds;
            return new Measurement(mode, batch, images / seconds, rate, rate / ceiling);
        }
    }

    /** Runs passes until at least {@link #WARM_UP_PASSES} have run for at least {@link #warmUpSeconds}. */
    private void warmUp(DoubleSupplier pass) {
        double seconds = 0;
        for (int i = 0; i < WARM_UP_PASSES || seconds < warmUpSeconds; i++) {
            seconds += pass.getAsDouble();
        }
    }

    private static Measurement measurement(String mode, int batch, double secondsTimesBatch, double macsTimesBatch, int passes,
            double ceiling) {
        double images = batch * batch / secondsTimesBatch;
        double macs = passes * macsTimesBatch * batch / secondsTimesBatch;
        return new Measurement(mode, batch, images, macs, macs / ceiling);
    }

    private static Measurement measurement(String mode, int batch, double seconds, long macsPerImage, double ceiling) {
        double images = batch / seconds;
        double macs = images * macsPerImage;
        return new Measurement(mode, batch, images, macs, macs / ceiling);
    }

    /**
     * @param block an initialised network
     * @param task its input
     * @param batch images per forward pass
     * @param manager where to allocate
     * @return the median seconds of one forward pass without gradients, after warm-up
     */
    public double secondsPerBatch(Block block, Task task, int batch, NDManager manager) {
        return Engines.withoutGradients(() -> median(() -> infer(block, task, batch, manager)));
    }

    private double median(DoubleSupplier run) {
        warmUp(run);
        double[] seconds = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            seconds[i] = run.getAsDouble();
        }
        Arrays.sort(seconds);
        return seconds[repeats / 2];
    }

    private static double infer(Block block, Task task, int batch, NDManager manager) {
        try (NDManager step = manager.newSubManager()) {
            NDArray input = step.randomNormal(task.inputShape(batch));
            long start = System.nanoTime();
            NDArray logits = block.forward(new ParameterStore(step, false), new NDList(input), false).singletonOrThrow();
            logits.getFloat(0, 0);
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static double train(StepRunner runner, Collection<Parameter> trained, Task task, int batch, NDManager manager) {
        try (NDManager step = manager.newSubManager()) {
            NDArray input = step.randomNormal(task.inputShape(batch));
            NDArray labels = step.randomInteger(0, task.classes(), new Shape(batch), DataType.INT64);
            long start = System.nanoTime();
            runner.run(step, input, labels, trained, 1e-4);
            return (System.nanoTime() - start) / 1e9;
        }
    }
}

package dev.creamery.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.creamery.api.StateDict;
import dev.creamery.api.TrainingSettings;
import dev.creamery.runtime.train.Engines;
import dev.creamery.runtime.train.StepRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures a model on this machine: images per second at given batch sizes (median of several
 * timed runs after warm-up), inference or training, and the achieved multiply-accumulate rate as a
 * fraction of the engine's float32 matmul ceiling measured in the same run.
 */
public final class Profiler {
    private final int repeats;

    /** @param repeats timed runs per batch size (the median is reported) */
    public Profiler(int repeats) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1");
        }
        this.repeats = repeats;
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
                    double seconds = Engines.withoutGradients(() -> median(() -> infer(block, model, batch, scope)));
                    measurements.add(measurement("inference", batch, seconds, model.complexity().flops(), ceiling));
                }
                if (training) {
                    TrainingSettings settings = new TrainingSettings(1, batch, TrainingSettings.OptimizerKind.ADAMW, 1e-4, 0, 0, 0,
                            0.05, 0.9, 0.1, 0, 0);
                    try (StepRunner runner = new StepRunner(block, settings, scope)) {
                        double seconds = median(() -> train(runner, model, batch, scope));
                        measurements.add(measurement("training", batch, seconds, 3 * model.complexity().flops(), ceiling));
                    }
                }
            }
        }
        return new Profile(model.name(), params, model.complexity().flops(), Engines.threads(), ceiling, measurements);
    }

    private static Measurement measurement(String mode, int batch, double seconds, long macsPerImage, double ceiling) {
        double images = batch / seconds;
        double macs = images * macsPerImage;
        return new Measurement(mode, batch, images, macs, macs / ceiling);
    }

    private double median(java.util.function.DoubleSupplier run) {
        for (int i = 0; i < 3; i++) {
            run.getAsDouble();
        }
        double[] seconds = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            seconds[i] = run.getAsDouble();
        }
        Arrays.sort(seconds);
        return seconds[repeats / 2];
    }

    private static double infer(Block block, ResolvedModel model, int batch, NDManager manager) {
        try (NDManager step = manager.newSubManager()) {
            NDArray input = step.randomNormal(model.task().inputShape(batch));
            long start = System.nanoTime();
            NDArray logits = block.forward(new ParameterStore(step, false), new NDList(input), false).singletonOrThrow();
            logits.getFloat(0, 0);
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static double train(StepRunner runner, ResolvedModel model, int batch, NDManager manager) {
        try (NDManager step = manager.newSubManager()) {
            NDArray input = step.randomNormal(model.task().inputShape(batch));
            NDArray labels = step.randomInteger(0, model.task().classes(), new Shape(batch), DataType.INT64);
            long start = System.nanoTime();
            runner.run(step, input, labels, runner.trainable(), 1e-4);
            return (System.nanoTime() - start) / 1e9;
        }
    }
}

package dev.creamery.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.creamery.api.Architecture;
import dev.creamery.api.Supernet;
import dev.creamery.api.Task;
import dev.creamery.api.WeightSharingSpace;
import dev.creamery.runtime.job.JobLoader;
import dev.creamery.runtime.job.LoadedJob;
import dev.creamery.runtime.model.Profiler;
import dev.creamery.wiring.ComponentRegistry;
import dev.creamery.runtime.train.Engines;
import dev.creamery.runtime.train.StepRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A search job's supernet as the one-shot evaluator runs it: training steps that each activate a
 * uniformly sampled member (forward, backward, AdamW over the member's weights), and evaluation of
 * sampled members with inherited weights. Each invocation samples a new member, and counts that
 * member's analytic multiply-accumulates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 4)
public class SupernetSteps {
    /** A search job whose space has a supernet, relative to the project root. */
    @Param("examples/quickstart.conf")
    public String job;

    /** Images per step. */
    @Param("128")
    public int batch;

    private NDManager manager;
    private WeightSharingSpace space;
    private Task task;
    private Supernet supernet;
    private StepRunner runner;
    private NDArray images;
    private NDArray labels;
    private final Random random = new Random(42);

    /** Builds the supernet, its optimizer and a batch. */
    @Setup
    public void setUp() {
        Engines.threads(0);
        LoadedJob loaded = new JobLoader(ComponentRegistry.load(getClass().getClassLoader())).load(Path.of(job), List.of(),
                JobLoader.Purpose.SEARCH);
        if (!(loaded.settings().space() instanceof WeightSharingSpace sharing)) {
            throw new IllegalArgumentException(job + ": job.space has no supernet");
        }
        space = sharing;
        task = loaded.settings().data().task();
        manager = NDManager.newBaseManager();
        Engines.seed(42);
        supernet = space.supernet(task);
        supernet.block().initialize(manager, DataType.FLOAT32, task.inputShape(1));
        runner = new StepRunner(supernet.block(), Profiler.timedSchedule(batch), manager);
        images = manager.randomNormal(task.inputShape(batch));
        labels = manager.randomInteger(0, task.classes(), new Shape(batch), DataType.INT64);
    }

    private double activateSample() {
        Architecture member = space.sample(random);
        supernet.activate(member);
        return space.complexity(member, task).flops();
    }

    /**
     * @param counters images and multiply-accumulates (three per forward one)
     * @return the step's loss
     */
    @Benchmark
    public double training(Counters counters) {
        double macs = activateSample();
        try (NDManager step = manager.newSubManager()) {
            images.tempAttach(step);
            labels.tempAttach(step);
            double loss = runner.run(step, images, labels, supernet.activeParameters(), 1e-4).loss();
            counters.add(batch, 3 * macs);
            return loss;
        }
    }

    /**
     * @param counters images and multiply-accumulates
     * @return a logit, so the work cannot be skipped
     */
    @Benchmark
    public float evaluation(Counters counters) {
        double macs = activateSample();
        return Engines.withoutGradients(() -> {
            try (NDManager step = manager.newSubManager()) {
                images.tempAttach(step);
                NDArray logits = supernet.block().forward(new ParameterStore(step, false), new NDList(images), false).singletonOrThrow();
                counters.add(batch, macs);
                return logits.getFloat(0, 0);
            }
        });
    }

    /** Frees the supernet and its optimizer state. */
    @TearDown
    public void tearDown() {
        runner.close();
        manager.close();
    }
}

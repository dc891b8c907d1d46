package dev.creamery.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.creamery.api.nn.Module;
import dev.creamery.runtime.model.ModelResolver;
import dev.creamery.runtime.model.ResolvedModel;
import dev.creamery.runtime.train.Engines;
import dev.creamery.wiring.ComponentRegistry;
import java.io.IOException;
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

/** Inference of the published model variants at 224×224 (random weights and images), as {@code creamery profile} measures it. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// A TinyViT batch of 64 takes seconds: iterations long enough for several invocations each, and a
// warm-up long enough for the native heap to reach its working size.
@Warmup(iterations = 2, time = 8)
@Measurement(iterations = 3, time = 8)
public class ModelInference {
    /** A variant name, as {@code creamery models} lists them. */
    @Param({"efficientvit-m0", "efficientvit-m1", "efficientvit-m2", "efficientvit-m3", "efficientvit-m4", "efficientvit-m5",
        "tinyvit-5m", "tinyvit-11m", "tinyvit-21m"})
    public String model;

    /** Images per forward pass. */
    @Param({"1", "64"})
    public int batch;

    /**
     * {@code prepared}: the inference form {@code predict} and {@code profile} run (folded norms, cached
     * tables); {@code as-built}: the network as training runs it, for what preparing buys.
     */
    @Param({"prepared"})
    public String form;

    private NDManager manager;
    private Block block;
    private NDArray images;
    private double macsPerImage;

    /**
     * Builds the model and a batch of images.
     *
     * @throws IOException never for a variant name
     */
    @Setup
    public void setUp() throws IOException {
        Engines.threads(0);
        ResolvedModel resolved = new ModelResolver(ComponentRegistry.load(getClass().getClassLoader())).resolve(model);
        manager = NDManager.newBaseManager();
        block = resolved.build(manager);
        if (form.equals("prepared")) {
            Module.prepareInference(block);
        } else if (!form.equals("as-built")) {
            throw new IllegalArgumentException("form must be prepared or as-built, got " + form);
        }
        images = manager.randomNormal(resolved.task().inputShape(batch));
        macsPerImage = resolved.complexity().flops();
    }

    /**
     * @param counters images and multiply-accumulates
     * @return a logit, so the work cannot be skipped
     */
    @Benchmark
    public float inference(Counters counters) {
        return Engines.withoutGradients(() -> {
            try (NDManager step = manager.newSubManager()) {
                // Results go to the manager of the array an operation starts from: the step's, for now.
                images.tempAttach(step);
                NDArray logits = block.forward(new ParameterStore(step, false), new NDList(images), false).singletonOrThrow();
                counters.add(batch, macsPerImage);
                return logits.getFloat(0, 0);
            }
        });
    }

    /** Frees the model. */
    @TearDown
    public void tearDown() {
        manager.close();
    }
}

package dev.creamery.runtime.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.creamery.api.Complexity;
import dev.creamery.api.Task;
import dev.creamery.api.WeightSharingSpace;
import dev.creamery.runtime.job.JobLoader;
import dev.creamery.runtime.job.LoadedJob;
import dev.creamery.runtime.model.ModelResolver;
import dev.creamery.runtime.model.Profiler;
import dev.creamery.runtime.model.ResolvedModel;
import dev.creamery.runtime.train.Engines;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code creamery profile MODEL}: parameters, FLOPs and measured speed on this machine. */
@Command(name = "profile", description = "Report a model's parameters, FLOPs (multiply-accumulates) and measured images/s on "
        + "this machine, with the achieved rate as a fraction of the float32 matmul ceiling measured in the same run.")
final class ProfileCommand implements Callable<Integer> {
    @ParentCommand
    Creamery root;

    @Parameters(paramLabel = "MODEL", description = "A variant, family:architecture, a run's model.json, or a search job "
            + "(JOB.conf) whose space has a supernet: its training steps and member evaluation, one sampled member per step.")
    String model;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--batch", split = ",", paramLabel = "N", description = "Batch sizes (default: ${DEFAULT-VALUE}).",
            defaultValue = "1,64")
    int[] batches;

    @Option(names = "--repeats", description = "Timed runs per batch size; the median is reported (default: ${DEFAULT-VALUE}).",
            defaultValue = "7")
    int repeats;

    @Option(names = "--mode", description = "inference, training (forward, backward, AdamW step) or both (default: ${DEFAULT-VALUE}).",
            defaultValue = "inference")
    String mode;

    @Option(names = "--threads", description = "Engine threads (default: all cores).", defaultValue = "0")
    int threads;

    @Option(names = "--input", split = ",", paramLabel = "C,H,W",
            description = "Build a variant or family:architecture for images of this shape instead of its own.")
    int[] input;

    @Option(names = "--classes", paramLabel = "N", description = "With --input: the number of classes (default: the model's).")
    Integer classes;

    @Override
    public Integer call() throws IOException {
        if (!mode.equals("inference") && !mode.equals("training") && !mode.equals("both")) {
            throw new UsageException("--mode must be inference, training or both, got '" + mode + "'");
        }
        for (int batch : batches) {
            if (batch < 1) {
                throw new UsageException("batch sizes must be >= 1, got " + batch);
            }
        }
        if (model.endsWith(".conf")) {
            return profileSupernet();
        }
        ResolvedModel resolved = new ModelResolver(root.registry()).resolve(model);
        if (input != null || classes != null) {
            resolved = resolved.forTask(task(resolved.task()));
        }
        Engines.threads(threads);
        Profiler.Profile profile;
        try (NDManager manager = NDManager.newBaseManager()) {
            profile = new Profiler(repeats, Profiler.STEADY_WARM_UP_SECONDS).profile(resolved, batches, !mode.equals("training"), !mode.equals("inference"), manager);
        }
        print(profile, resolved.task(), "FLOPs per image");
        return Creamery.OK;
    }

    private Integer profileSupernet() {
        if (input != null || classes != null) {
            throw new UsageException("--input and --classes do not apply to a job: its data set gives the input");
        }
        LoadedJob job = new JobLoader(root.registry()).load(Path.of(model), List.of(), JobLoader.Purpose.SEARCH);
        if (!(job.settings().space() instanceof WeightSharingSpace space)) {
            throw new UsageException(model + ": the space at job.space has no supernet to profile; profile one of its members "
                    + "as family:architecture instead");
        }
        Task task = job.settings().data().task();
        Engines.threads(threads);
        Profiler.Profile profile;
        try (NDManager manager = NDManager.newBaseManager()) {
            profile = new Profiler(repeats, Profiler.STEADY_WARM_UP_SECONDS).profileSupernet(model + " supernet", space, task, batches, !mode.equals("training"),
                    !mode.equals("inference"), job.settings().seed(), manager);
        }
        print(profile, task, "FLOPs per image (mean of the sampled members)");
        return Creamery.OK;
    }

    private void print(Profiler.Profile profile, Task task, String flopsLabel) {
        PrintWriter out = root.spec.commandLine().getOut();
        if (json) {
            out.println(new GsonBuilder().setPrettyPrinting().create().toJson(toJson(profile, task)));
            return;
        }
        out.printf(Locale.ROOT, "%s: %s params, %s %s (input %s)%n", profile.model(), Complexity.human(profile.params()),
                Complexity.human(profile.flops()), flopsLabel, task);
        out.printf(Locale.ROOT, "matmul ceiling (1024x1024 float32, %d threads): %.1f GFLOP/s (multiply-accumulates)%n",
                profile.threads(), profile.ceiling() / 1e9);
        for (Profiler.Measurement m : profile.measurements()) {
            out.printf(Locale.ROOT, "%-9s batch %4d: %9.1f images/s, %7.2f GFLOP/s, %5.1f%% of ceiling%n", m.mode(), m.batch(),
                    m.imagesPerSecond(), m.macsPerSecond() / 1e9, 100 * m.fractionOfCeiling());
        }
    }

    private Task task(Task own) {
        if (input != null && input.length != 3) {
            throw new UsageException("--input takes channels,height,width, e.g. --input 1,28,28");
        }
        try {
            return input == null ? new Task(own.channels(), own.height(), own.width(), classes, List.of())
                    : new Task(input[0], input[1], input[2], classes == null ? own.classes() : classes, List.of());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static JsonObject toJson(Profiler.Profile profile, Task task) {
        JsonObject object = new JsonObject();
        object.addProperty("model", profile.model());
        object.addProperty("params", profile.params());
        object.addProperty("flops", profile.flops());
        object.addProperty("input", task.toString());
        object.addProperty("threads", profile.threads());
        object.addProperty("matmul_ceiling_flops_per_second", profile.ceiling());
        JsonArray measurements = new JsonArray();
        for (Profiler.Measurement m : profile.measurements()) {
            JsonObject item = new JsonObject();
            item.addProperty("mode", m.mode());
            item.addProperty("batch", m.batch());
            item.addProperty("images_per_second", m.imagesPerSecond());
            item.addProperty("flops_per_second", m.macsPerSecond());
            item.addProperty("fraction_of_ceiling", m.fractionOfCeiling());
            measurements.add(item);
        }
        object.add("measurements", measurements);
        return object;
    }
}

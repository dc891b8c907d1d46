package dev.creamery.runtime.cli;

import com.google.gson.JsonObject;
import dev.creamery.api.Complexity;
import dev.creamery.runtime.job.JobLoader;
import dev.creamery.runtime.job.LoadedJob;
import dev.creamery.runtime.job.TrainRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code creamery train JOB.conf}: trains {@code job.model} on {@code job.data}. */
@Command(name = "train", description = "Train a model (job.model) on a data set with the shared training loop.")
final class TrainCommand implements Callable<Integer> {
    @ParentCommand
    Creamery root;

    @Mixin
    JobOptions job;

    @Mixin
    JobOptions.Output output;

    @Override
    public Integer call() {
        LoadedJob loaded = job.load(root.registry(), JobLoader.Purpose.TRAIN);
        Path folder = output.folder(loaded.settings().name());
        JsonObject result = new TrainRunner(root.registry(), new ConsoleProgress(System.err, Duration.ofSeconds(10)))
                .run(loaded, folder, output.mode());
        root.spec.commandLine().getOut().printf(Locale.ROOT, "%s: %s params, %s FLOPs, validation accuracy %.4f, test accuracy %.4f"
                + " in %s%nrun folder: %s (result.json, model.safetensors, model.json)%n", result.get("model").getAsString(),
                Complexity.human(result.get("params").getAsLong()), Complexity.human(result.get("flops").getAsLong()),
                result.get("validation_accuracy").getAsDouble(), result.get("test_accuracy").getAsDouble(),
                ConsoleProgress.human(result.get("wall_seconds").getAsDouble()), folder);
        return Creamery.OK;
    }
}

package dev.creamery.runtime.cli;

import com.google.gson.JsonObject;
import dev.creamery.api.Complexity;
import dev.creamery.runtime.job.JobLoader;
import dev.creamery.runtime.job.JobRunner;
import dev.creamery.runtime.job.LoadedJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code creamery run JOB.conf}: runs a search job and prints the best architecture. */
@Command(name = "run", description = "Run a search job: prepare, search, finalise; results go to the run folder.")
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    Creamery root;

    @Mixin
    JobOptions job;

    @Mixin
    JobOptions.Output output;

    @Override
    public Integer call() {
        LoadedJob loaded = job.load(root.registry(), JobLoader.Purpose.SEARCH);
        Path folder = output.folder(loaded.settings().name());
        JsonObject result = new JobRunner(new ConsoleProgress(System.err, Duration.ofSeconds(10))).run(loaded, folder, output.mode());
        JsonObject best = result.getAsJsonObject("best");
        PrintWriter out = root.spec.commandLine().getOut();
        out.println("best architecture: " + best.get("canonical").getAsString());
        out.printf(Locale.ROOT, "  params %s, FLOPs %s, validation accuracy %s, test accuracy %s%n",
                Complexity.human(best.get("params").getAsLong()), Complexity.human(best.get("flops").getAsLong()),
                accuracy(best, "validation_accuracy"), accuracy(best, "test_accuracy"));
        out.printf(Locale.ROOT, "  %d trials (%d failed) in %s%n", result.get("trials").getAsInt(), result.get("failed").getAsInt(),
                ConsoleProgress.human(result.get("wall_seconds").getAsDouble()));
        out.println("run folder: " + folder + " (result.json, report.png, trials.jsonl"
                + (result.getAsJsonObject("final").has("weights") ? ", model.safetensors, model.json)" : ")"));
        return Creamery.OK;
    }

    private static String accuracy(JsonObject best, String key) {
        return best.has(key) && !best.get(key).isJsonNull() ? String.format(Locale.ROOT, "%.4f", best.get(key).getAsDouble())
                : "not measured";
    }
}

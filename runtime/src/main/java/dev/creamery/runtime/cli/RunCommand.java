package dev.creamery.runtime.cli;

import dev.creamery.api.Complexity;
import dev.creamery.runtime.job.JobLoader;
import dev.creamery.runtime.job.JobRunner;
import dev.creamery.runtime.job.LoadedJob;
import dev.creamery.runtime.job.RunResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalDouble;
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
        RunResult result = new JobRunner(new ConsoleProgress(System.err, Duration.ofSeconds(10))).run(loaded, folder, output.mode());
        PrintWriter out = root.spec.commandLine().getOut();
        out.println("best architecture: " + result.best().architecture().canonical());
        out.printf(Locale.ROOT, "  params %s, FLOPs %s, validation accuracy %s, test accuracy %s%n",
                Complexity.human(result.best().complexity().params()), Complexity.human(result.best().complexity().flops()),
                accuracy(result.finalized().validationAccuracy()), accuracy(result.finalized().testAccuracy()));
        for (RunResult.Baseline baseline : result.baselines()) {
            out.printf(Locale.ROOT, "  beside it, finalized the same way: %s %s, params %s, FLOPs %s, validation accuracy %s, test accuracy %s%n",
                    baseline.name(), baseline.architecture().canonical(), Complexity.human(baseline.complexity().params()),
                    Complexity.human(baseline.complexity().flops()), accuracy(baseline.outcome().validationAccuracy()),
                    accuracy(baseline.outcome().testAccuracy()));
        }
        out.printf(Locale.ROOT, "  %d trials (%d failed) in %s%n", result.trials(), result.failed(), ConsoleProgress.human(result.wallSeconds()));
        out.println("run folder: " + folder + " (result.json, report.png, trials.jsonl"
                + (result.finalized().weights() != null ? ", model.safetensors, model.json)" : ")"));
        return Creamery.OK;
    }

    private static String accuracy(OptionalDouble accuracy) {
        return accuracy.isPresent() ? String.format(Locale.ROOT, "%.4f", accuracy.getAsDouble()) : "not measured";
    }
}

package dev.creamery.runtime.cli;

import dev.creamery.runtime.job.JobLoader;
import dev.creamery.runtime.job.LoadedJob;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code creamery validate JOB.conf}: checks a job without running it and prints the settings in force.
 * A search job's strategy also checks that it can search the space for the data's task (its size
 * limits admit a member), as {@code run} does before the evaluator trains anything.
 */
@Command(name = "validate", description = "Check a job file and print every setting in force; nothing runs.")
final class ValidateCommand implements Callable<Integer> {
    @ParentCommand
    Creamery root;

    @Mixin
    JobOptions job;

    @Option(names = "--quiet", description = "Print only problems.")
    boolean quiet;

    @Override
    public Integer call() {
        LoadedJob loaded = job.load(root.registry(), JobLoader.Purpose.ANY);
        if (!loaded.isTraining()) {
            loaded.settings().strategy().check(loaded.settings().space(), loaded.settings().data().task());
        }
        PrintWriter out = root.spec.commandLine().getOut();
        if (!quiet) {
            out.print(loaded.render());
        }
        out.printf("%s is valid (%s job '%s')%n", job.file, loaded.isTraining() ? "training" : "search",
                loaded.settings().name());
        return Creamery.OK;
    }
}

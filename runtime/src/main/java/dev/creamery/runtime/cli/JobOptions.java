package dev.creamery.runtime.cli;

import dev.creamery.runtime.job.JobLoader;
import dev.creamery.runtime.job.LoadedJob;
import dev.creamery.runtime.job.RunFolder;
import dev.creamery.wiring.ComponentRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options every job-taking command shares. */
final class JobOptions {
    @Parameters(index = "0", paramLabel = "JOB.conf", description = "The job file (HOCON).")
    Path file;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Override a setting, relative to job (repeatable), "
            + "e.g. --set strategy.population=20.")
    List<String> overrides = new ArrayList<>();

    LoadedJob load(ComponentRegistry registry, JobLoader.Purpose purpose) {
        return new JobLoader(registry).load(file, overrides, purpose);
    }

    /** The options of commands that write a run folder. */
    static final class Output {
        @Option(names = "--out", paramLabel = "DIR", description = "The run folder (default: runs/<job name>).")
        Path out;

        @Option(names = "--resume", description = "Continue the run in the folder: finished trials and epochs are not redone.")
        boolean resume;

        @Option(names = "--overwrite", description = "Delete what the run folder holds and start anew.")
        boolean overwrite;

        Path folder(String name) {
            return out != null ? out : Path.of("runs", name);
        }

        RunFolder.Mode mode() {
            if (resume && overwrite) {
                throw new UsageException("--resume and --overwrite contradict each other; choose one");
            }
            return resume ? RunFolder.Mode.RESUME : overwrite ? RunFolder.Mode.OVERWRITE : RunFolder.Mode.NEW;
        }
    }
}

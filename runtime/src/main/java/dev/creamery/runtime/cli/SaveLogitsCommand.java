package dev.creamery.runtime.cli;

import ai.djl.ndarray.NDManager;
import dev.creamery.api.Split;
import dev.creamery.runtime.distill.LogitSaver;
import dev.creamery.runtime.distill.LogitStore;
import dev.creamery.runtime.distill.Teacher;
import dev.creamery.runtime.job.DistillationJob;
import dev.creamery.runtime.job.JobLoader;
import dev.creamery.runtime.job.JobSettings;
import dev.creamery.runtime.job.LoadedJob;
import dev.creamery.runtime.train.Engines;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code creamery save-logits JOB.conf}: fills the job's logit store with the teacher's sparse soft
 * labels for each epoch of its training, or checks a filled store against the teacher.
 */
@Command(name = "save-logits", description = "Run a training job's teacher (job.distillation) over each epoch's augmented training "
        + "data and store its top-k probabilities with the augmentation seeds, for distillation.mode = stored.")
final class SaveLogitsCommand implements Callable<Integer> {
    @ParentCommand
    Creamery root;

    @Mixin
    JobOptions job;

    @Option(names = "--epochs", paramLabel = "FIRST-LAST", description = "The epochs to save or check, e.g. 1-5 or 3 (default: all "
            + "of job.training.epochs). Processes may save disjoint ranges into one store at the same time.")
    String epochs;

    @Option(names = "--check", paramLabel = "N", description = "Instead of saving, check the stored epochs: size and checksum of "
            + "each file and N random entries recomputed with the teacher. Exit status 2 if any differs.")
    Integer check;

    @Override
    public Integer call() {
        LoadedJob loaded = job.load(root.registry(), JobLoader.Purpose.TRAIN);
        JobSettings settings = loaded.settings();
        int[] range = range(settings.training().epochs());
        if (check != null && check < 1) {
            throw new UsageException("--check needs a positive number of entries per epoch, got " + check);
        }
        DistillationJob distillation = new DistillationJob(loaded, root.registry(), true);
        LogitStore store = check == null ? distillation.createStore() : LogitStore.open(distillation.settings().store(),
                distillation.manifest());
        PrintWriter out = root.spec.commandLine().getOut();
        Engines.threads(settings.compute().threads());
        try (NDManager manager = NDManager.newBaseManager(Engines.device(settings.compute().device()));
                Teacher teacher = distillation.teacher(manager)) {
            ConsoleProgress progress = new ConsoleProgress(System.err, Duration.ofSeconds(10));
            progress.note(String.format(Locale.ROOT, "%s: %s the top-%d probabilities of %s, epochs %d-%d, %,d images each, in %s",
                    settings.name(), check == null ? "saving" : "checking", store.manifest().topK(),
                    distillation.settings().teacher().model(), range[0], range[1], store.manifest().trainSize(),
                    distillation.settings().store()));
            LogitSaver saver = new LogitSaver(settings.data().split(Split.TRAIN), teacher, store, settings.seed(), manager, progress);
            if (check != null) {
                List<String> problems = saver.check(range[0], range[1], check, new Random());
                problems.forEach(problem -> root.spec.commandLine().getErr().println("error: " + problem));
                out.printf(Locale.ROOT, "checked epochs %d-%d of %s: %s%n", range[0], range[1], distillation.settings().store(),
                        problems.isEmpty() ? "all match" : problems.size() + " problem(s)");
                return problems.isEmpty() ? Creamery.OK : Creamery.USAGE;
            }
            List<Integer> written = saver.save(range[0], range[1]);
            out.printf(Locale.ROOT, "saved %d epoch(s) of %d-%d into %s (%,d bytes each)%n", written.size(), range[0], range[1],
                    distillation.settings().store(), store.epochFileSize());
            return Creamery.OK;
        }
    }

    private int[] range(int trainingEpochs) {
        if (epochs == null) {
            return new int[] {1, trainingEpochs};
        }
        String[] parts = epochs.trim().split("-", -1);
        try {
            int first = Integer.parseInt(parts[0].trim());
            int last = parts.length == 1 ? first : Integer.parseInt(parts[1].trim());
            if (parts.length <= 2 && first >= 1 && first <= last) {
                return new int[] {first, last};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--epochs must be FIRST-LAST or one epoch, counting from 1, e.g. 1-5; got '" + epochs + "'");
    }
}

package dev.creamery.runtime.job;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.creamery.api.Architecture;
import dev.creamery.api.BudgetExhaustedException;
import dev.creamery.api.Complexity;
import dev.creamery.api.FitOptions;
import dev.creamery.api.InheritedWeights;
import dev.creamery.api.Metrics;
import dev.creamery.api.Progress;
import dev.creamery.api.SearchResult;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.Split;
import dev.creamery.api.Task;
import dev.creamery.api.Trial;
import dev.creamery.api.TrialExecutor;
import dev.creamery.runtime.io.AtomicFiles;
import dev.creamery.runtime.io.CorruptFileException;
import dev.creamery.runtime.io.Journal;
import dev.creamery.runtime.io.OutputException;
import dev.creamery.runtime.io.ShutdownGuard;
import dev.creamery.runtime.model.ModelDescription;
import dev.creamery.runtime.report.SearchReport;
import dev.creamery.runtime.train.Engines;
import dev.creamery.runtime.train.Seeds;
import dev.creamery.runtime.train.TrainingLoop;
import dev.creamery.wiring.ConfigProblem;
import dev.creamery.wiring.InvalidConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Runs a search job: prepare the evaluator, search, finalise the best architecture (inherit or
 * build, retrain, test, export), write {@code result.json} and the report. Everything a run
 * writes lives in its folder; everything it finishes is recorded so that {@code --resume} skips it.
 */
public final class JobRunner {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private final RunProgress progress;

    /** @param progress where progress goes */
    public JobRunner(Progress progress) {
        this.progress = new RunProgress(progress);
    }

    /**
     * @param job the validated job
     * @param path the run folder
     * @param mode how to treat what the folder holds
     * @return what the run came to (also written as {@code result.json})
     */
    public RunResult run(LoadedJob job, Path path, RunFolder.Mode mode) {
        // Only a training step's own collector records a graph. The engine leaves recording on for
        // every thread but the one that loaded it, so a run on any other thread turns it off here.
        return Engines.withoutGradients(() -> runOffTheGraph(job, path, mode));
    }

    private RunResult runOffTheGraph(LoadedJob job, Path path, RunFolder.Mode mode) {
        JobSettings settings = job.settings();
        long started = System.nanoTime();
        Engines.threads(settings.compute().threads());
        Engines.seed(settings.seed());
        SearchSpace space = settings.space();
        Task task = settings.data().task();
        checkBuildable(space, task, job);
        settings.strategy().check(space, task);
        // The data is read before the run folder is touched: a bad data file leaves nothing behind.
        settings.data().split(Split.TRAIN);
        try (RunFolder folder = RunFolder.open(path, mode);
                RunProgress.Attached live = progress.attach(folder.path().resolve(RunProgress.FILE));
                ShutdownGuard.Notice notice = ShutdownGuard.notice("stopped: " + path + " keeps every finished trial and epoch; "
                        + "give the same command with --resume to continue")) {
            recordConfig(job, folder, mode);
            try (NDManager root = NDManager.newBaseManager(Engines.device(settings.compute().device()));
                    Journal journal = Journal.open(folder.path().resolve("trials.jsonl"))) {
                if (journal.droppedBytes() > 0) {
                    progress.note(folder.path().resolve("trials.jsonl") + ": dropped its last line, cut short by a stop ("
                            + journal.droppedBytes() + " bytes); that trial is evaluated again");
                }
                progress.note(String.format("%s: %s on %s (%s), %d trial(s) already recorded", settings.name(),
                        job.effective().getString("job.strategy.type"), job.effective().getString("job.data.type"), task,
                        journal.trials().size()));
                RunEvaluationContext evaluation = new RunEvaluationContext(settings.data(), root, settings.seed(), progress,
                        folder.subfolder("evaluator"));
                settings.evaluator().prepare(space, evaluation);
                RemoteTrials remote = new RemoteTrials(job.render(), evaluation.directory());
                RunSearchContext search = new RunSearchContext(space, settings.evaluator(), evaluation, journal, settings.seed(),
                        settings.budget().trials(), settings.budget().time(), settings.objectives(), settings.execution(), remote,
                        () -> new RunEvaluationContext(settings.data(), root, settings.seed(), progress, folder.subfolder("strategy")));
                int threads = Engines.threads();
                SearchResult result;
                try (TrialExecutor executor = settings.execution()) {
                    result = search(settings, space, search);
                } finally {
                    // Workers that were threads of this process set their own thread count and kept their jobs.
                    remote.forget();
                    Engines.threads(threads);
                }
                Trial best = result.best().orElseThrow(() -> noBest(result, folder.path().resolve("trials.jsonl")));
                RunResult.Final finalized = finalizeBest(job, folder, root, evaluation, best);
                List<RunResult.Baseline> baselines = finalizeBaselines(job, folder, root, evaluation, finalized);
                RunResult run = RunResult.of(settings.name(), settings.objectives(), result, journal.trials(), best, finalized, baselines,
                        (System.nanoTime() - started) / 1e9);
                writeJson(folder.path().resolve("result.json"), run.toJson());
                writeReport(folder, settings, best);
                return run;
            }
        } catch (IOException e) {
            throw new RunFailedException("cannot write the run folder " + path + ": " + e.getMessage(), e);
        }
    }

    private SearchResult search(JobSettings settings, SearchSpace space, RunSearchContext context) {
        try {
            return settings.strategy().search(space, context);
        } catch (BudgetExhaustedException e) {
            progress.note(e.getMessage() + "; finishing with the trials so far");
            return context.result();
        }
    }

    private void checkBuildable(SearchSpace space, Task task, LoadedJob job) {
        try {
            space.complexity(space.smallest(), task);
            space.complexity(space.largest(), task);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(List.of(new ConfigProblem("job.space", "cannot be built for the data's "
                    + task + ": " + e.getMessage(), job.file().getFileName().toString())));
        }
    }

    static void recordConfig(LoadedJob job, RunFolder folder, RunFolder.Mode mode) throws IOException {
        Path conf = folder.path().resolve("job.conf");
        if (mode == RunFolder.Mode.RESUME) {
            Config recorded;
            try {
                recorded = ConfigFactory.parseFile(conf.toFile()).resolve();
            } catch (com.typesafe.config.ConfigException e) {
                throw new CorruptFileException(conf, "is not the settings this run recorded (" + e.getMessage() + ")",
                        "restore it, or start the run anew with --overwrite");
            }
            Config current = ConfigFactory.parseString(job.render()).resolve();
            List<String> changed = new ArrayList<>();
            for (var entry : current.entrySet()) {
                if (!recorded.hasPath(entry.getKey()) || !recorded.getValue(entry.getKey()).unwrapped().equals(entry.getValue().unwrapped())) {
                    changed.add(entry.getKey());
                }
            }
            for (var entry : recorded.entrySet()) {
                if (!current.hasPath(entry.getKey())) {
                    changed.add(entry.getKey());
                }
            }
            if (!changed.isEmpty()) {
                throw new InvalidConfigException(List.of(new ConfigProblem(String.join(", ", changed),
                        "differs from the run being resumed (" + conf + "); resume with the same settings, or start a new run with --out DIR",
                        "--resume")));
            }
            return;
        }
        AtomicFiles.write(conf, job.render().getBytes(StandardCharsets.UTF_8));
    }

    /** Why a search has no best trial: none succeeded, or the evaluator measures no accuracy to rank by. */
    private static RunFailedException noBest(SearchResult result, Path journal) {
        List<Trial> ok = result.trials().stream().filter(Trial::ok).toList();
        if (ok.isEmpty()) {
            return new RunFailedException("no trial succeeded (" + result.trials().size() + " tried); see " + journal + " for the reasons");
        }
        return new RunFailedException(ok.size() + " trial(s) succeeded but none measured " + Metrics.ACCURACY + " (they have "
                + ok.get(0).evaluation().metrics().keySet() + "), so there is no best to finalise; the trials are in " + journal
                + " (creamery compare ranks them against another run)");
    }

    private RunResult.Final finalizeBest(LoadedJob job, RunFolder folder, NDManager root, RunEvaluationContext evaluation, Trial best) {
        JobSettings.FinalizeSettings completion = job.settings().completion();
        Optional<RunResult.Final> finalized = finalizeMember(job, folder, root, evaluation, best.architecture(), best.complexity(),
                "the best architecture (trial " + best.number() + ", " + best.architecture() + ")", "final", completion.export());
        if (finalized.isEmpty()) {
            // Fresh weights score chance: validating, testing or exporting them would only mislead.
            progress.note("the best architecture (trial " + best.number() + ") is not trained here: it inherits no weights and "
                    + "finalize.retrain.epochs = 0, so there is nothing to validate, test or export; train it with "
                    + "'creamery train' or set finalize.retrain");
        }
        return finalized.orElse(RunResult.Final.untrained());
    }

    /** The baselines, each finalised as the best was (the same inheritance, retraining and test), none exported. */
    private List<RunResult.Baseline> finalizeBaselines(LoadedJob job, RunFolder folder, NDManager root, RunEvaluationContext evaluation,
            RunResult.Final best) {
        JobSettings settings = job.settings();
        List<RunResult.Baseline> baselines = new ArrayList<>();
        if (best.validationAccuracy().isEmpty()) {
            return baselines;
        }
        for (JobSettings.Baseline baseline : settings.completion().baselines()) {
            Architecture member = baseline.pick(settings.space(), settings.seed());
            Complexity complexity = settings.space().complexity(member, evaluation.task());
            finalizeMember(job, folder, root, evaluation, member, complexity, "baseline " + baseline.key() + " (" + member + ", "
                    + Complexity.human(complexity.params()) + " params)", "baseline-" + baseline.key(), false)
                    .ifPresent(outcome -> baselines.add(new RunResult.Baseline(baseline.key(), member, complexity, outcome)));
        }
        return baselines;
    }

    /**
     * Trains (resumably, in the run folder's {@code subfolder}), validates, tests and optionally
     * exports one member, starting from its inherited weights when the job says so.
     *
     * @return what came of it, or empty when nothing would train it (no inherited weights, no retraining)
     */
    private Optional<RunResult.Final> finalizeMember(LoadedJob job, RunFolder folder, NDManager root, RunEvaluationContext evaluation,
            Architecture member, Complexity complexity, String what, String subfolder, boolean export) {
        JobSettings settings = job.settings();
        JobSettings.FinalizeSettings completion = settings.completion();
        Task task = evaluation.task();
        try (NDManager manager = root.newSubManager()) {
            Optional<Block> inherited = completion.inherit() && settings.evaluator() instanceof InheritedWeights weights
                    ? weights.inherit(member, manager) : Optional.empty();
            if (inherited.isEmpty() && completion.retrain().epochs() == 0) {
                return Optional.empty();
            }
            Block model = inherited.orElseGet(() -> {
                Engines.seed(Seeds.mix(settings.seed(), "final-init"));
                Block fresh = settings.space().build(member, task);
                fresh.initialize(manager, DataType.FLOAT32, task.inputShape(1));
                return fresh;
            });
            progress.note("finalizing " + what + " " + (inherited.isPresent() ? "from its supernet weights" : "from scratch")
                    + (completion.retrain().epochs() > 0 ? ", retraining for " + completion.retrain().epochs() + " epochs" : ""));
            TrainingLoop loop = new TrainingLoop(settings.data(), manager, settings.seed(), folder.subfolder(subfolder), progress);
            ModelDescription description = new ModelDescription(null, job.effective().getConfig("job.space"), member, task,
                    complexity, doubles(job.effective(), "job.data.mean"), doubles(job.effective(), "job.data.std"));
            FinalModel.Outcome outcome = FinalModel.complete(model, loop, completion.retrain(), FitOptions.named(subfolder), completion.test(),
                    export, folder, description);
            return Optional.of(new RunResult.Final(inherited.isPresent(), completion.retrain().epochs(),
                    OptionalDouble.of(outcome.validationAccuracy()),
                    completion.test() ? OptionalDouble.of(outcome.testAccuracy()) : OptionalDouble.empty(),
                    outcome.weights() == null ? null : folder.path().relativize(outcome.weights()).toString()));
        }
    }

    static List<Double> doubles(Config config, String path) {
        return config.hasPath(path) ? config.getDoubleList(path) : List.of();
    }

    static void writeJson(Path file, JsonObject json) {
        try {
            AtomicFiles.write(file, (GSON.toJson(json) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new OutputException(file, "cannot write the result", e);
        }
    }

    private void writeReport(RunFolder folder, JobSettings settings, Trial best) {
        String primary = settings.objectives().get(0).metric();
        double value = best.metricOrNaN(primary);
        // A strategy may pick its best by its own measure (As-ViT's growth ranks training-free scores).
        String headline = Double.isNaN(value) ? "trial " + best.number() : primary + " " + String.format(Locale.ROOT, "%.4f", value);
        writeReport(folder.path(), settings.name() + ": best " + headline + " at " + Complexity.human(best.complexity().params()) + " params",
                progress);
    }

    /** Draws a run's plots into its folder ({@code plots/}, {@code report.png}); a machine that cannot draw gets a warning. */
    static void writeReport(Path folder, String title, Progress progress) {
        try {
            SearchReport.write(folder, title);
        } catch (IOException | java.awt.AWTError | UnsatisfiedLinkError e) {
            progress.note("warning: could not draw the report in " + folder + " (" + e.getMessage() + "); the results are in result.json");
        }
    }
}

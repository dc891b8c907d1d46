package dev.creamery.runtime.job;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.creamery.api.Complexity;
import dev.creamery.api.FitOptions;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.SoftTargets;
import dev.creamery.api.Split;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.api.TrainingReport;
import dev.creamery.runtime.io.ArchitectureJson;
import dev.creamery.runtime.io.ShutdownGuard;
import dev.creamery.runtime.model.ModelDescription;
import dev.creamery.runtime.model.ModelResolver;
import dev.creamery.runtime.model.ResolvedModel;
import dev.creamery.runtime.train.Engines;
import dev.creamery.runtime.train.Seeds;
import dev.creamery.runtime.train.TrainingLoop;
import dev.creamery.wiring.ComponentRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Runs a training job ({@code creamery train}): builds {@code job.model} for the data's task,
 * trains it with {@code job.training} (checkpointed per epoch, resumable), tests it, exports it.
 */
public final class TrainRunner {
    private final ComponentRegistry registry;
    private final RunProgress progress;

    /**
     * @param registry the registered families
     * @param progress where progress goes
     */
    public TrainRunner(ComponentRegistry registry, dev.creamery.api.Progress progress) {
        this.registry = registry;
        this.progress = new RunProgress(progress);
    }

    /**
     * @param job the validated job
     * @param path the run folder
     * @param mode how to treat what the folder holds
     * @return {@code result.json}'s content
     */
    public JsonObject run(LoadedJob job, Path path, RunFolder.Mode mode) {
        // Only a training step's own collector records a graph. The engine leaves recording on for
        // every thread but the one that loaded it, so a run on any other thread turns it off here.
        return Engines.withoutGradients(() -> runOffTheGraph(job, path, mode));
    }

    private JsonObject runOffTheGraph(LoadedJob job, Path path, RunFolder.Mode mode) {
        JobSettings settings = job.settings();
        long started = System.nanoTime();
        ResolvedModel resolved;
        try {
            resolved = new ModelResolver(registry).resolve(settings.model(), settings.modelSettings(), "job.model-settings");
        } catch (IOException e) {
            throw new IllegalArgumentException("job.model: " + e.getMessage(), e);
        }
        if (resolved.family() == null) {
            throw new IllegalArgumentException("job.model must name a variant or family:architecture, got " + settings.model());
        }
        ModelFamily family = resolved.family();
        Task task = settings.data().task();
        Complexity complexity = family.complexity(resolved.architecture(), task);
        DistillationJob distillation = new DistillationJob(job, registry, false);
        distillation.checkStore(settings.training().epochs());
        Engines.threads(settings.compute().threads());
        // The data is read before the run folder is touched: a bad data file leaves nothing behind.
        settings.data().split(Split.TRAIN);
        try (NDManager root = NDManager.newBaseManager(Engines.device(settings.compute().device()))) {
            Engines.seed(Seeds.mix(settings.seed(), "init"));
            Block model = family.build(resolved.architecture(), task);
            model.initialize(root, DataType.FLOAT32, task.inputShape(1));
            // The teacher loads, and its layers are checked against the model's, before the run folder is touched.
            try (SoftTargets targets = distillation.targets(root, settings.training().epochs(), model);
                    RunFolder folder = RunFolder.open(path, mode);
                    RunProgress.Attached live = progress.attach(folder.path().resolve(RunProgress.FILE));
                    ShutdownGuard.Notice notice = ShutdownGuard.notice("stopped: " + path + " keeps every finished epoch; "
                            + "give the same command with --resume to continue")) {
                JobRunner.recordConfig(job, folder, mode);
                progress.note(String.format("%s: training %s (%s params, %s FLOPs) on %s for %d epochs", settings.name(),
                        settings.model(), Complexity.human(StateDict.countParameters(model)), Complexity.human(complexity.flops()),
                        task, settings.training().epochs()));
                String familyName = settings.model().contains(":") ? settings.model().substring(0, settings.model().indexOf(':'))
                        : familyOf(settings.model());
                ModelDescription description = new ModelDescription(familyName, null, resolved.architecture(), task, complexity,
                        JobRunner.doubles(job.effective(), "job.data.mean"), JobRunner.doubles(job.effective(), "job.data.std"));
                FinalModel.Outcome outcome;
                TrainingLoop loop = new TrainingLoop(settings.data(), root, settings.seed(), folder.subfolder("checkpoints"), progress);
                FitOptions options = targets == null ? FitOptions.named("train") : FitOptions.named("train")
                        .softTargets(targets, 1 - settings.distillation().labelWeight());
                outcome = FinalModel.complete(model, loop, settings.training(), options, true, true, folder, description);
                JsonObject json = new JsonObject();
                json.addProperty("name", settings.name());
                json.addProperty("model", settings.model());
                json.add("architecture", ArchitectureJson.write(resolved.architecture()));
                json.addProperty("params", StateDict.countParameters(model));
                json.addProperty("flops", complexity.flops());
                json.addProperty("validation_accuracy", outcome.validationAccuracy());
                json.addProperty("test_accuracy", outcome.testAccuracy());
                JsonArray epochs = new JsonArray();
                if (outcome.training() != null) {
                    for (TrainingReport.Epoch epoch : outcome.training().epochs()) {
                        JsonObject e = new JsonObject();
                        e.addProperty("epoch", epoch.epoch());
                        e.addProperty("loss", epoch.loss());
                        e.addProperty("train_accuracy", epoch.accuracy());
                        e.addProperty("validation_accuracy", epoch.validationAccuracy());
                        e.addProperty("seconds", epoch.seconds());
                        epochs.add(e);
                    }
                    json.addProperty("images_per_second", outcome.training().imagesPerSecond());
                }
                json.add("epochs", epochs);
                json.addProperty("weights", "model.safetensors");
                json.addProperty("wall_seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
                JobRunner.writeJson(folder.path().resolve("result.json"), json);
                JobRunner.writeReport(folder.path(), String.format(Locale.ROOT, "%s: %s, validation accuracy %.4f", settings.name(),
                        settings.model(), outcome.validationAccuracy()), progress);
                return json;
            }
        } catch (IOException e) {
            throw new RunFailedException("cannot write the run folder " + path + ": " + e.getMessage(), e);
        }
    }

    private String familyOf(String variant) {
        for (ModelResolver.NamedFamily named : new ModelResolver(registry).families()) {
            if (named.family().variants().stream().anyMatch(v -> v.name().equals(variant))) {
                return named.name();
            }
        }
        throw new IllegalArgumentException("no family has the variant " + variant);
    }
}

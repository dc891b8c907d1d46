package dev.creamery.runtime.job;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.typesafe.config.ConfigRenderOptions;
import dev.creamery.api.DataException;
import dev.creamery.api.SoftTargets;
import dev.creamery.api.Split;
import dev.creamery.api.Task;
import dev.creamery.api.nn.Taps;
import dev.creamery.runtime.distill.DistillationSettings;
import dev.creamery.runtime.distill.LogitStore;
import dev.creamery.runtime.distill.StoreManifest;
import dev.creamery.runtime.distill.StoredTargets;
import dev.creamery.runtime.distill.Teacher;
import dev.creamery.runtime.distill.TeacherTargets;
import dev.creamery.runtime.io.CorruptFileException;
import dev.creamery.runtime.io.OutputException;
import dev.creamery.runtime.io.Safetensors;
import dev.creamery.runtime.model.ModelResolver;
import dev.creamery.runtime.train.Engines;
import dev.creamery.wiring.ComponentRegistry;
import dev.creamery.wiring.ConfigProblem;
import dev.creamery.wiring.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The {@code distillation} part of a training job, bound to the job's data and seed: its teacher,
 * its logit store and the manifest that ties the store to the job. {@code creamery train} asks it
 * for the soft targets, {@code creamery save-logits} for the teacher and the store.
 */
public final class DistillationJob {
    private static final int MAX_CLASSES = 1 << 16;

    private final LoadedJob job;
    private final DistillationSettings settings;
    private final ModelResolver resolver;
    private final Task task;
    private StoreManifest manifest;

    /**
     * @param job a validated training job
     * @param registry the registered model families
     * @param needsStore whether the command works on the store whatever the mode ({@code save-logits})
     * @throws InvalidConfigException if what the mode or command needs is missing or does not fit the data
     */
    public DistillationJob(LoadedJob job, ComponentRegistry registry, boolean needsStore) {
        this.job = job;
        this.settings = job.settings().distillation();
        this.resolver = new ModelResolver(registry);
        this.task = job.settings().data().task();
        String file = job.file().getFileName().toString();
        List<ConfigProblem> problems = new ArrayList<>();
        boolean used = needsStore || settings.mode() != DistillationSettings.Mode.NONE;
        if (needsStore) {
            if (settings.teacher().model() == null) {
                problems.add(new ConfigProblem("job.distillation.teacher.model", "saving logits needs the teacher: a variant, "
                        + "family:architecture or a run's model.json", file));
            }
            if (settings.teacher().weights() == null) {
                problems.add(new ConfigProblem("job.distillation.teacher.weights", "saving logits needs the teacher's weights "
                        + "(a safetensors file)", file));
            }
            if (settings.store() == null) {
                problems.add(new ConfigProblem("job.distillation.store", "saving logits needs store = <folder>", file));
            }
        }
        if (used && settings.teacher().weights() != null && !Files.isRegularFile(settings.teacher().weights())) {
            problems.add(new ConfigProblem("job.distillation.teacher.weights", "the teacher's weights " + settings.teacher().weights()
                    + " do not exist; train the teacher first or fix the path", file));
        } else if (used && settings.teacher().weights() != null) {
            // The whole header, before anything is written: a damaged file is refused as the job's input error.
            try {
                Safetensors.header(settings.teacher().weights());
            } catch (CorruptFileException e) {
                problems.add(new ConfigProblem("job.distillation.teacher.weights", e.getMessage(), file));
            } catch (IOException e) {
                problems.add(new ConfigProblem("job.distillation.teacher.weights", "cannot read the teacher's weights "
                        + settings.teacher().weights() + " (" + OutputException.reason(e) + ")", file));
            }
        }
        if (used && (settings.topK() > task.classes() || task.classes() > MAX_CLASSES)) {
            problems.add(new ConfigProblem("job.distillation.top-k", "top-k must be at most the data's " + task.classes()
                    + " classes (and the data may have at most " + MAX_CLASSES + "), got " + settings.topK(), file));
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    /** @return the distillation settings */
    public DistillationSettings settings() {
        return settings;
    }

    /**
     * @return what a store for this job must record (computed once: it hashes the teacher's weights)
     * @throws IllegalArgumentException if the teacher cannot be resolved or does not fit the data
     */
    public StoreManifest manifest() {
        if (manifest == null) {
            try {
                String data = job.effective().getValue("job.data").render(ConfigRenderOptions.concise());
                manifest = new StoreManifest(StoreManifest.FORMAT, settings.teacher().model(),
                        Teacher.architecture(resolver, settings.teacher().model(), task), Teacher.sha256(settings.teacher().weights()),
                        settings.topK(), task.classes(), job.settings().data().split(Split.TRAIN).size(), job.settings().seed(), data);
            } catch (IOException e) {
                throw new DataException("cannot read the teacher (job.distillation.teacher): " + e.getMessage(), e);
            }
        }
        return manifest;
    }

    /**
     * @param parent the manager the teacher's own is made from
     * @return the loaded teacher
     */
    public Teacher teacher(NDManager parent) {
        try {
            return Teacher.load(resolver, settings.teacher().model(), settings.teacher().weights(), task, parent);
        } catch (IOException e) {
            throw new DataException("cannot load the teacher's weights " + settings.teacher().weights() + ": " + e.getMessage(), e);
        }
    }

    /** @return the job's store, created if it does not exist */
    public LogitStore createStore() {
        return LogitStore.create(settings.store(), manifest());
    }

    /**
     * Checks, before anything is written, that a stored-mode store fits the job and holds every
     * epoch to train; nothing to check in the other modes.
     *
     * @param epochs the epochs the training will run
     * @throws DataException if the store is missing, belongs to another job or lacks epochs
     */
    public void checkStore(int epochs) {
        if (settings.mode() == DistillationSettings.Mode.STORED) {
            completeStore(epochs);
        }
    }

    /**
     * @param root the run's manager (an online teacher lives in a sub-manager of it)
     * @param epochs the epochs the training will run
     * @param student the model to train, initialised: the teacher's relations are checked against it
     * @return what the training loop learns from instead of the labels, or null for the labels
     * @throws DataException if a stored-mode store is missing, belongs to another job or lacks epochs
     * @throws InvalidConfigException if the relations' layers do not pair up
     */
    public SoftTargets targets(NDManager root, int epochs, Block student) {
        return switch (settings.mode()) {
            case NONE -> null;
            case ONLINE -> online(root, student);
            case STORED -> new StoredTargets(completeStore(epochs));
        };
    }

    private SoftTargets online(NDManager root, Block student) {
        Teacher teacher = teacher(root);
        try {
            checkRelations(student, teacher, root);
        } catch (RuntimeException e) {
            teacher.close();
            throw e;
        }
        return new TeacherTargets(teacher, settings.topK(), settings.temperature(), settings.relations());
    }

    /**
     * Checks, on one blank image, that the layers the relations name exist in the student and the
     * teacher, and that each pair's relations have one shape (the same windows of the same tokens,
     * widths the relation heads divide). Nothing to check without relations.
     */
    private void checkRelations(Block student, Teacher teacher, NDManager manager) {
        if (!settings.learnsRelations()) {
            return;
        }
        DistillationSettings.Relations relations = settings.relations();
        String file = job.file().getFileName().toString();
        List<ConfigProblem> problems = new ArrayList<>();
        try (NDManager scope = manager.newSubManager()) {
            NDArray image = scope.zeros(task.inputShape(1));
            Recorded s = record(relations.studentLayers(), () -> Engines.withoutGradients(
                    () -> student.forward(new ParameterStore(scope, false), new NDList(image), false)));
            Recorded t = record(relations.teacherLayers(), () -> teacher.probabilities(image));
            if (s.problem() != null) {
                problems.add(new ConfigProblem("job.distillation.relations.student-layers", "the student " + job.settings().model() + ": "
                        + s.problem(), file));
            }
            if (t.problem() != null) {
                problems.add(new ConfigProblem("job.distillation.relations.teacher-layers", "the teacher " + settings.teacher().model()
                        + ": " + t.problem(), file));
            }
            if (problems.isEmpty()) {
                List<ConfigProblem> pairs = new ArrayList<>();
                for (int i = 0; i < relations.studentLayers().size(); i++) {
                    ConfigProblem pair = pairProblem(relations, s, t, i, file);
                    if (pair != null) {
                        pairs.add(pair);
                    }
                }
                if (!pairs.isEmpty()) {
                    // Pairs usually fail alike (one model has a class token, the other not): the first says why.
                    ConfigProblem first = pairs.get(0);
                    problems.add(pairs.size() == 1 ? first : new ConfigProblem(first.path(), first.message() + " (so do "
                            + (pairs.size() - 1) + " more pair" + (pairs.size() == 2 ? "" : "s") + ")", file));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    /** @return what keeps pair {@code i} from having relations of one shape, or null */
    private static ConfigProblem pairProblem(DistillationSettings.Relations relations, Recorded s, Recorded t, int i, String file) {
        String pair = "student layer " + s.layers().get(i) + " and teacher layer " + t.layers().get(i);
        if (relations.attentionWeight() > 0) {
            Shape a = s.attention().get(i)[0].getShape();
            Shape b = t.attention().get(i)[0].getShape();
            if (a.get(0) != b.get(0) || a.get(1) != b.get(1)) {
                return new ConfigProblem("job.distillation.relations", pair + " attend over " + tokens(a) + " and " + tokens(b)
                        + "; pair layers that attend over the same tokens", file);
            }
            if (a.get(2) % relations.heads() != 0 || b.get(2) % relations.heads() != 0) {
                return new ConfigProblem("job.distillation.relations.heads", relations.heads() + " relation heads do not divide the "
                        + "widths " + a.get(2) + " and " + b.get(2) + " of " + pair, file);
            }
        }
        if (relations.hiddenWeight() > 0) {
            Shape a = s.hidden().get(i).getShape();
            Shape b = t.hidden().get(i).getShape();
            if (a.get(1) != b.get(1)) {
                return new ConfigProblem("job.distillation.relations", pair + " output " + a.get(1) + " and " + b.get(1)
                        + " tokens; pair layers with as many tokens", file);
            }
        }
        return null;
    }

    /** {@code (windows, tokens, width)} for one image, in words. */
    private static String tokens(Shape shape) {
        return shape.get(0) == 1 ? shape.get(1) + " tokens" : shape.get(0) + " windows of " + shape.get(1) + " tokens";
    }

    /** A model's recorded layers for one image, or why they could not be recorded. */
    private record Recorded(List<Integer> layers, List<NDArray[]> attention, List<NDArray> hidden, String problem) {}

    private Recorded record(List<Integer> layers, Runnable forward) {
        List<Integer> sorted = layers.stream().sorted().toList();
        try (Taps taps = Taps.record(layers)) {
            forward.run();
            List<NDArray[]> attention = settings.relations().attentionWeight() > 0 ? taps.attention() : List.of();
            List<NDArray> hidden = settings.relations().hiddenWeight() > 0 ? taps.hidden() : List.of();
            return new Recorded(sorted, attention, hidden, null);
        } catch (IllegalStateException e) {
            return new Recorded(sorted, null, null, e.getMessage());
        }
    }

    private LogitStore completeStore(int epochs) {
        LogitStore store = LogitStore.open(settings.store(), manifest());
        List<Integer> missing = IntStream.rangeClosed(1, epochs).filter(e -> !store.isStored(e)).boxed().toList();
        if (!missing.isEmpty()) {
            throw new DataException("the logit store " + settings.store() + " lacks epoch(s) "
                    + missing.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " of " + epochs
                    + "; fill it with 'creamery save-logits " + job.file() + " --epochs " + missing.get(0) + "-"
                    + missing.get(missing.size() - 1) + "'");
        }
        return store;
    }
}

package dev.creamery.runtime.train;

import dev.creamery.api.nn.BatchNorm;
import dev.creamery.api.nn.Losses;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.creamery.api.Accuracy;
import dev.creamery.api.Batch;
import dev.creamery.api.EpochAware;
import dev.creamery.api.FitOptions;
import dev.creamery.api.ImageDataSet;
import dev.creamery.api.ImageSplit;
import dev.creamery.api.Progress;
import dev.creamery.api.SoftTargets;
import dev.creamery.api.Split;
import dev.creamery.api.StateDict;
import dev.creamery.api.Training;
import dev.creamery.api.TrainingReport;
import dev.creamery.api.TrainingSettings;
import dev.creamery.api.TrialFailedException;
import dev.creamery.runtime.io.AtomicFiles;
import dev.creamery.runtime.io.CorruptFileException;
import dev.creamery.runtime.io.OutputException;
import dev.creamery.runtime.io.Safetensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The shared training loop. Every step lives in its own {@link NDManager}, closed when the step
 * ends, so native memory stays flat however long a run is; only parameters and optimizer state
 * outlive a step. Randomness (batch order, augmentation, the step hook) is derived from the seed,
 * the epoch and the step, so a run resumed from an epoch checkpoint continues exactly as the
 * uninterrupted run would have.
 */
public final class TrainingLoop implements Training {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();
    private static final int EVALUATION_BATCH = 256;

    private final ImageDataSet data;
    private final NDManager manager;
    private final long seed;
    private final Path directory;
    private final Progress progress;

    /**
     * @param data the data set
     * @param manager a manager on the training device; steps use sub-managers of it
     * @param seed the job seed
     * @param directory where checkpoints go
     * @param progress where progress goes
     */
    public TrainingLoop(ImageDataSet data, NDManager manager, long seed, Path directory, Progress progress) {
        this.data = data;
        this.manager = manager;
        this.seed = seed;
        this.directory = directory;
        this.progress = progress;
    }

    @Override
    public TrainingReport fit(Block model, TrainingSettings settings, FitOptions options) {
        ImageSplit train = data.split(Split.TRAIN);
        int batchSize = Math.min(settings.batchSize(), train.size());
        long stepsPerEpoch = train.size() / batchSize;
        if (settings.maxStepsPerEpoch() > 0) {
            stepsPerEpoch = Math.min(stepsPerEpoch, settings.maxStepsPerEpoch());
        }
        LearningRateSchedule schedule = new LearningRateSchedule(settings, stepsPerEpoch);
        List<TrainingReport.Epoch> epochs = new ArrayList<>();
        long started = System.nanoTime();
        long images = 0;
        try (StepRunner runner = new StepRunner(model, settings, manager); EpochScope epochScope = new EpochScope(model)) {
            int firstEpoch = 1;
            if (options.isCheckpointed()) {
                firstEpoch = restore(model, runner.updater(), options.name(), epochs) + 1;
            }
            for (int epoch = firstEpoch; epoch <= settings.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                if (model instanceof EpochAware aware) {
                    aware.beginEpoch(epoch, settings.epochs());
                }
                int[] order = shuffle(train.size(), new Random(Seeds.mix(seed, "shuffle:" + options.name(), epoch)));
                double lossSum = 0;
                long correct = 0;
                long seen = 0;
                double lr = 0;
                try (Progress.Tracker tracker = progress.start(options.name() + " epoch " + epoch + "/" + settings.epochs(),
                        stepsPerEpoch, "step")) {
                    for (long step = 0; step < stepsPerEpoch; step++) {
                        long globalStep = (epoch - 1) * stepsPerEpoch + step;
                        lr = schedule.at(globalStep);
                        int[] indices = java.util.Arrays.copyOfRange(order, (int) (step * batchSize), (int) ((step + 1) * batchSize));
                        long[] augmentationSeeds = new long[indices.length];
                        for (int i = 0; i < indices.length; i++) {
                            augmentationSeeds[i] = Seeds.augmentation(seed, epoch, indices[i]);
                        }
                        Collection<Parameter> active = options.stepHook() == null ? runner.trainable()
                                : options.stepHook().beforeStep(globalStep, new Random(Seeds.mix(seed, "step:" + options.name(), globalStep)));
                        StepRunner.Result result;
                        try (NDManager scope = manager.newSubManager()) {
                            Batch batch = train.batch(scope, indices, augmentationSeeds);
                            SoftTargets targets = options.softTargets();
                            NDArray soft = targets == null ? null : targets.of(scope, epoch, batch, augmentationSeeds);
                            StepRunner.Soft lesson = soft == null ? null
                                    : new StepRunner.Soft(soft, stepWeight(targets, options.softTargetWeight()), targets);
                            result = runner.run(scope, batch.images(), batch.labels(), lesson, active, lr);
                            if (targets != null) {
                                targets.afterStep(scope, batch, result.correct());
                            }
                        }
                        if (!Double.isFinite(result.loss())) {
                            throw new TrialFailedException(options.name() + ": the loss became " + result.loss() + " at epoch " + epoch
                                    + ", step " + (step + 1) + " (lr " + format(lr) + "); lower the learning rate or add warm-up");
                        }
                        lossSum += result.loss() * indices.length;
                        correct += result.correct();
                        seen += indices.length;
                        tracker.advance(1, String.format(Locale.ROOT, "loss %.4f acc %.3f lr %.2e", lossSum / seen,
                                (double) correct / seen, lr));
                    }
                }
                images += seen;
                double validation = options.isValidatedEachEpoch() ? evaluate(model, Split.VALIDATION).top1() : Double.NaN;
                epochs.add(new TrainingReport.Epoch(epoch, lossSum / Math.max(1, seen), (double) correct / Math.max(1, seen),
                        validation, lr, (System.nanoTime() - epochStart) / 1e9));
                if (options.isValidatedEachEpoch()) {
                    progress.note(String.format(Locale.ROOT, "%s epoch %d/%d: loss %.4f, train acc %.4f, val acc %.4f",
                            options.name(), epoch, settings.epochs(), lossSum / seen, (double) correct / seen, validation));
                }
                if (options.isCheckpointed()) {
                    save(model, runner.updater(), options.name(), epochs);
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new TrainingReport(epochs, seconds, images == 0 ? 0 : images / seconds);
    }

    private static double stepWeight(SoftTargets targets, double configured) {
        double weight = targets.weight(configured);
        if (!(weight > 0 && weight <= 1)) {
            throw new IllegalStateException(targets.getClass().getSimpleName() + " weighed a step's targets " + weight
                    + "; a weight must be in (0, 1]");
        }
        return weight;
    }

    /** Returns an {@link EpochAware} block to its evaluation form however training ends. */
    private record EpochScope(Block model) implements AutoCloseable {
        @Override
        public void close() {
            if (model instanceof EpochAware aware) {
                aware.endTraining();
            }
        }
    }

    @Override
    public Accuracy evaluate(Block model, Split which) {
        ImageSplit split = data.split(which);
        return Engines.withoutGradients(() -> {
            double lossSum = 0;
            long correct = 0;
            for (int start = 0; start < split.size(); start += EVALUATION_BATCH) {
                int end = Math.min(split.size(), start + EVALUATION_BATCH);
                int[] indices = new int[end - start];
                for (int i = 0; i < indices.length; i++) {
                    indices[i] = start + i;
                }
                try (NDManager step = manager.newSubManager()) {
                    Batch batch = split.batch(step, indices, null);
                    NDArray logits = model.forward(new ParameterStore(step, false), new NDList(batch.images()), false)
                            .singletonOrThrow();
                    lossSum += Losses.crossEntropy(logits, batch.labels(), 0).getFloat() * indices.length;
                    correct += logits.argMax(1).toType(DataType.INT64, false).eq(batch.labels()).sum().getLong();
                }
            }
            return new Accuracy((double) correct / split.size(), lossSum / split.size(), split.size());
        });
    }

    @Override
    public void recalibrate(Block model, int images) {
        List<BatchNorm> norms = BatchNorm.in(model);
        ImageSplit split = data.split(Split.TRAIN);
        int count = Math.min(images, split.size());
        if (norms.isEmpty() || count <= 0) {
            return;
        }
        int[] order = shuffle(split.size(), new Random(Seeds.mix(seed, "recalibration", 0)));
        norms.forEach(BatchNorm::startAveraging);
        try {
            Engines.withoutGradients(() -> {
                // Batches of (nearly) equal size, so that each weighs what its images do in the average.
                int batches = (count + EVALUATION_BATCH - 1) / EVALUATION_BATCH;
                for (int b = 0; b < batches; b++) {
                    int[] indices = java.util.Arrays.copyOfRange(order, count * b / batches, count * (b + 1) / batches);
                    try (NDManager step = manager.newSubManager()) {
                        model.forward(new ParameterStore(step, false), new NDList(split.batch(step, indices, null).images()), true);
                    }
                }
                return null;
            });
        } finally {
            norms.forEach(BatchNorm::stopAveraging);
        }
    }

    private static int[] shuffle(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** What an epoch checkpoint records besides the tensors. */
    private record CheckpointInfo(int epoch, Map<String, Long> steps, List<TrainingReport.Epoch> epochs) {}

    /** The checkpoint's metadata entry that holds its {@link CheckpointInfo} as JSON. */
    static final String CHECKPOINT_INFO = "creamery.checkpoint";

    private Path tensorFile(String name) {
        return directory.resolve(name + ".checkpoint.safetensors");
    }

    private Path infoFile(String name) {
        return directory.resolve(name + ".checkpoint.json");
    }

    private void save(Block model, WeightUpdater updater, String name, List<TrainingReport.Epoch> epochs) {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        StateDict.tensors(model).forEach((key, value) -> tensors.put("model." + key, value));
        tensors.putAll(updater.state());
        CheckpointInfo info = new CheckpointInfo(epochs.get(epochs.size() - 1).epoch(), updater.steps(), epochs);
        String json = GSON.toJson(info);
        // The tensors and the state travel in one file that replaces the previous epoch's in one step:
        // a stop at any moment leaves one whole checkpoint. The JSON file is a readable copy of the state.
        Path tensorFile = tensorFile(name);
        try {
            Safetensors.write(tensorFile, tensors, Map.of(CHECKPOINT_INFO, json));
        } catch (IOException e) {
            throw new OutputException(tensorFile, "cannot write the checkpoint of " + name + " epoch " + info.epoch(), e);
        }
        Path infoFile = infoFile(name);
        try {
            AtomicFiles.write(infoFile, (json + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new OutputException(infoFile, "cannot write the checkpoint state of " + name + " epoch " + info.epoch(), e);
        }
    }

    /**
     * Restores the last whole checkpoint; returns its epoch, or 0 to start from the beginning. A
     * write cut short by a stop leaves a {@code .part} file, which is removed: the epoch it was
     * saving starts again. A checkpoint that is damaged is set aside (renamed {@code .damaged}) and
     * training starts again from epoch 1. Either is said on the progress stream.
     */
    private int restore(Block model, WeightUpdater updater, String name, List<TrainingReport.Epoch> epochs) {
        Path tensorFile = tensorFile(name);
        boolean cutShort = removeParts(tensorFile);
        removeParts(infoFile(name)); // the readable copy: the tensors' file holds the state that counts
        if (!Files.isRegularFile(tensorFile)) {
            if (cutShort) {
                progress.note(name + ": the checkpoint of epoch 1 was cut short by a stop; epoch 1 starts again");
            }
            return 0;
        }
        try (NDManager scratch = manager.newSubManager()) {
            Map<String, NDArray> tensors;
            CheckpointInfo info;
            try {
                Safetensors.Contents contents = Safetensors.readContents(tensorFile, scratch);
                tensors = contents.tensors();
                info = info(tensorFile, contents.metadata(), name);
            } catch (CorruptFileException e) {
                Path damaged = tensorFile.resolveSibling(tensorFile.getFileName() + ".damaged");
                try {
                    Files.move(tensorFile, damaged, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException moveFailed) {
                    throw new OutputException(tensorFile, "cannot set the damaged checkpoint aside", moveFailed);
                }
                progress.note(e.file() + ": damaged checkpoint (" + e.problem() + "); kept as " + damaged.getFileName() + ", "
                        + name + " starts again from epoch 1");
                return 0;
            }
            Map<String, NDArray> weights = new LinkedHashMap<>();
            tensors.forEach((key, value) -> {
                if (key.startsWith("model.")) {
                    weights.put(key.substring("model.".length()), value);
                }
            });
            StateDict.load(model, weights, tensorFile.toString());
            updater.restore(tensors, info.steps());
            epochs.addAll(info.epochs());
            progress.note(name + ": resumed after epoch " + info.epoch() + " from its checkpoint" + (cutShort ? "; the checkpoint of epoch "
                    + (info.epoch() + 1) + " was cut short by a stop, so epoch " + (info.epoch() + 1) + " starts again" : ""));
            return info.epoch();
        } catch (IOException e) {
            throw new OutputException(tensorFile, "cannot read the checkpoint", "check the disk, then continue with --resume", e);
        }
    }

    /**
     * The checkpoint's state, from its metadata; checkpoints of earlier versions keep it only in
     * the JSON file beside them.
     */
    private CheckpointInfo info(Path tensorFile, Map<String, String> metadata, String name) throws IOException {
        String json = metadata.get(CHECKPOINT_INFO);
        Path source = tensorFile;
        if (json == null) {
            source = infoFile(name);
            if (!Files.isRegularFile(source)) {
                throw new CorruptFileException(tensorFile, "it holds no training state (no " + CHECKPOINT_INFO + " metadata) and "
                        + source.getFileName() + " is missing", "start the training again");
            }
            json = Files.readString(source, StandardCharsets.UTF_8);
        }
        CheckpointInfo info;
        try {
            info = GSON.fromJson(json, CheckpointInfo.class);
        } catch (JsonParseException e) {
            throw new CorruptFileException(source, "its training state is not valid JSON", "start the training again", e);
        }
        if (info == null || info.epoch() < 1 || info.steps() == null || info.epochs() == null || info.epochs().size() != info.epoch()) {
            throw new CorruptFileException(source, "its training state is incomplete", "start the training again");
        }
        return info;
    }

    /** Removes what a checkpoint write cut short left behind; returns whether there was any. */
    private static boolean removeParts(Path file) {
        boolean found = false;
        try (var siblings = Files.list(file.toAbsolutePath().getParent())) {
            for (Path part : siblings.filter(p -> AtomicFiles.isPartOf(file, p)).toList()) {
                Files.deleteIfExists(part);
                found = true;
            }
        } catch (IOException e) {
            throw new OutputException(file, "cannot remove what a stopped write left behind", e);
        }
        return found;
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.2e", value);
    }

    /** @return the device steps run on */
    public Device device() {
        return manager.getDevice();
    }
}

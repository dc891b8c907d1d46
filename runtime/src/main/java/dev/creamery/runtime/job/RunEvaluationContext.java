package dev.creamery.runtime.job;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.creamery.api.EvaluationContext;
import dev.creamery.api.ImageDataSet;
import dev.creamery.api.Progress;
import dev.creamery.api.Task;
import dev.creamery.api.Training;
import dev.creamery.runtime.train.Seeds;
import dev.creamery.runtime.train.TrainingLoop;
import java.nio.file.Path;
import java.util.Random;

/** The {@link EvaluationContext} of a run: the job's data and device, the shared loop, a folder for checkpoints. */
public final class RunEvaluationContext implements EvaluationContext {
    private final ImageDataSet data;
    private final NDManager manager;
    private final long seed;
    private final Progress progress;
    private final Path directory;
    private final TrainingLoop training;

    /**
     * @param data the data set
     * @param manager a manager on the job's device that lives as long as the run
     * @param seed the job seed
     * @param progress where progress goes
     * @param directory the evaluator's folder (it exists)
     */
    public RunEvaluationContext(ImageDataSet data, NDManager manager, long seed, Progress progress, Path directory) {
        this.data = data;
        this.manager = manager;
        this.seed = seed;
        this.progress = progress;
        this.directory = directory;
        this.training = new TrainingLoop(data, manager, seed, directory, progress);
    }

    @Override
    public Task task() {
        return data.task();
    }

    @Override
    public ImageDataSet data() {
        return data;
    }

    @Override
    public Device device() {
        return manager.getDevice();
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public Random random(String purpose) {
        return new Random(Seeds.mix(seed, purpose));
    }

    @Override
    public Progress progress() {
        return progress;
    }

    @Override
    public Training training() {
        return training;
    }

    @Override
    public Path directory() {
        return directory;
    }
}

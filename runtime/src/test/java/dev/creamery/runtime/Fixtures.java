package dev.creamery.runtime;

import ai.djl.ndarray.NDManager;
import dev.creamery.api.ImageDataSet;
import dev.creamery.api.Progress;
import dev.creamery.runtime.data.Augmentation;
import dev.creamery.runtime.data.SyntheticData;
import dev.creamery.runtime.job.RunEvaluationContext;
import dev.creamery.runtime.space.ConvNetSpace;
import dev.creamery.testkit.RecordingProgress;
import java.nio.file.Path;
import java.util.List;

/** Small real objects for runtime tests. */
public final class Fixtures {
    private Fixtures() {}

    /** @return a learnable 1x8x8, 4-class data set */
    public static ImageDataSet synthetic() {
        return new SyntheticData(new SyntheticData.Settings(1, 8, 4, 512, 128, 128, 0.25, 11, new Augmentation(1, true)));
    }

    /** @return a tiny convnet space */
    public static ConvNetSpace convnet() {
        return new ConvNetSpace(new ConvNetSpace.Settings(List.of(1, 2), List.of(4, 8), List.of(1, 3), 4));
    }

    /** @return progress that prints nothing */
    public static Progress silent() {
        return new RecordingProgress();
    }

    /**
     * @param manager the run's manager
     * @param seed the job seed
     * @param directory the evaluator's folder
     * @return a real evaluation context on synthetic data
     */
    public static RunEvaluationContext context(NDManager manager, long seed, Path directory) {
        return new RunEvaluationContext(synthetic(), manager, seed, silent(), directory);
    }
}

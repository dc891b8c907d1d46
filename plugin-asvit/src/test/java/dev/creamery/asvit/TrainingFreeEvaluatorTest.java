package dev.creamery.asvit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.creamery.api.Architecture;
import dev.creamery.api.Evaluation;
import dev.creamery.api.EvaluationContext;
import dev.creamery.api.ImageDataSet;
import dev.creamery.api.ImageSplit;
import dev.creamery.api.Progress;
import dev.creamery.api.Split;
import dev.creamery.api.Task;
import dev.creamery.api.Training;
import dev.creamery.api.TrialFailedException;
import dev.creamery.asvit.TrainingFreeEvaluator.Measure;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The evaluator wrappers on a minimal in-memory context (the runtime's contexts get the
 * EvaluatorContract later): metric names, repeatability, and failure on non-finite measures.
 */
@Tag("slow")
class TrainingFreeEvaluatorTest {
    private static final Task TASK = Task.square(1, 28, 10);
    private static final TrainingFreeMeasures SMALL = new TrainingFreeMeasures(4, 2, 6, 3);

    @Test
    void reportsBothMeasuresRepeatably() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Architecture seed = new AsVitSpace().parse(AsVitFamily.SEED);
            Evaluation first = evaluate(new TrainingFreeEvaluator(SMALL, EnumSet.allOf(Measure.class)), seed, new Context(manager, 1));
            Evaluation again = evaluate(new TrainingFreeEvaluator(SMALL, EnumSet.allOf(Measure.class)), seed, new Context(manager, 1));
            assertThat(first.metrics()).containsOnlyKeys(AsVitMetrics.NTK_CONDITION, AsVitMetrics.LENGTH_DISTORTION);
            assertThat(again.metrics()).isEqualTo(first.metrics());
            assertThat(first.metric(AsVitMetrics.NTK_CONDITION)).isGreaterThan(1);
            assertThat(first.metric(AsVitMetrics.LENGTH_DISTORTION)).isPositive();
            assertThat(evaluate(new TrainingFreeEvaluator(SMALL, EnumSet.of(Measure.NTK_CONDITION)), seed, new Context(manager, 1)).metrics())
                    .containsOnlyKeys(AsVitMetrics.NTK_CONDITION);
            assertThat(evaluate(new TrainingFreeEvaluator(SMALL, EnumSet.of(Measure.LENGTH_DISTORTION)), seed, new Context(manager, 1)).metrics())
                    .containsOnlyKeys(AsVitMetrics.LENGTH_DISTORTION);
        }
    }

    @Test
    void aNonFiniteMeasureFailsTheTrial() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Constant images: every per-image gradient is the same, so the kernel has rank 1.
            Context context = new Context(manager, 1) {
                @Override
                public ImageDataSet data() {
                    return dataSet(true);
                }
            };
            Architecture seed = new AsVitSpace().parse(AsVitFamily.SEED);
            assertThatThrownBy(() -> evaluate(new TrainingFreeEvaluator(SMALL, EnumSet.of(Measure.NTK_CONDITION)), seed, context))
                    .isInstanceOf(TrialFailedException.class).hasMessageContaining("NTK condition number is not finite");
        }
    }

    private static Evaluation evaluate(TrainingFreeEvaluator evaluator, Architecture architecture, EvaluationContext context) {
        evaluator.prepare(new AsVitSpace(), context);
        return evaluator.evaluate(architecture, context);
    }

    static ImageDataSet dataSet(boolean constant) {
        ImageSplit split = new ImageSplit() {
            @Override
            public int size() {
                return 32;
            }

            @Override
            public Task task() {
                return TASK;
            }

            @Override
            public int label(int index) {
                return index % TASK.classes();
            }

            @Override
            public void read(int index, float[] dst, int offset, Random augmentation) {
                Random pixels = new Random(constant ? 0 : index);
                for (int i = 0; i < 28 * 28; i++) {
                    dst[offset + i] = (float) pixels.nextGaussian();
                }
            }
        };
        return new ImageDataSet() {
            @Override
            public Task task() {
                return TASK;
            }

            @Override
            public ImageSplit split(Split which) {
                return split;
            }
        };
    }

    private static class Context implements EvaluationContext {
        private final NDManager manager;
        private final long seed;

        Context(NDManager manager, long seed) {
            this.manager = manager;
            this.seed = seed;
        }

        @Override
        public Task task() {
            return TASK;
        }

        @Override
        public ImageDataSet data() {
            return dataSet(false);
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
            return new Random(seed * 31 + purpose.hashCode());
        }

        @Override
        public Progress progress() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Training training() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Path directory() {
            throw new UnsupportedOperationException();
        }
    }
}

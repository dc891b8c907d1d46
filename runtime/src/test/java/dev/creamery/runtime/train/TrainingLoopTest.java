package dev.creamery.runtime.train;

import dev.creamery.api.nn.Losses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.creamery.api.EpochAware;
import dev.creamery.api.ImageSplit;
import dev.creamery.api.nn.BatchNorm;
import dev.creamery.api.nn.Sequential;
import java.util.ArrayList;
import ai.djl.nn.Parameter;
import dev.creamery.api.Architecture;
import dev.creamery.api.Batch;
import dev.creamery.api.SoftTargets;
import dev.creamery.api.FitOptions;
import dev.creamery.api.Split;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.api.TrainingReport;
import dev.creamery.api.TrainingSettings;
import dev.creamery.api.TrialFailedException;
import dev.creamery.runtime.Fixtures;
import dev.creamery.runtime.space.ConvNetSpace;
import dev.creamery.testkit.RecordingProgress;
import dev.creamery.testkit.ToySpace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingLoopTest {
    private static final Architecture MEMBER = Architecture.parse("depth=2 width=[8,8] kernel=[3,3]");
    private final ConvNetSpace space = Fixtures.convnet();
    private final Task task = Fixtures.synthetic().task();

    private static TrainingSettings settings(int epochs, double lr) {
        return TrainingSettings.builder().epochs(epochs).batchSize(32)
                .optimizer(TrainingSettings.OptimizerKind.ADAMW).lr(lr).minLr(1e-5)
                .warmupEpochs(0.5).warmupLr(1e-5).weightDecay(0.05)
                .momentum(0.9).labelSmoothing(0.1).clipGradNorm(5).maxStepsPerEpoch(0).build();
    }

    private Block model(NDManager manager, long seed) {
        Engines.seed(seed);
        Block block = space.build(MEMBER, task);
        block.initialize(manager, DataType.FLOAT32, task.inputShape(1));
        return block;
    }

    /**
     * FitOptions.softTargets(targets, w): the step's loss is (1 - w) cross-entropy with the labels plus w with the targets,
     * the student's logits divided by the targets' temperature.
     */
    @Test
    void softTargetsMixWithTheLabelsByTheirWeight() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = model(manager, 3);
            NDArray images = manager.randomUniform(-1, 1, task.inputShape(8));
            NDArray labels = manager.create(new long[] {0, 1, 2, 3, 0, 1, 2, 3});
            NDArray targets = manager.full(new Shape(8, task.classes()), 1f / task.classes());
            NDArray logits = model.forward(new ParameterStore(manager, false), new NDList(images), true).singletonOrThrow();
            double hard = Losses.crossEntropy(logits, labels, 0.1).getFloat();
            double soft = Losses.softTargetCrossEntropy(logits, targets).getFloat();
            double tempered = Losses.softTargetCrossEntropy(logits.div(2), targets).getFloat();
            SoftTargets plain = (scope, epoch, batch, seeds) -> targets;
            SoftTargets hot = new SoftTargets() {
                @Override
                public NDArray of(NDManager scope, int epoch, Batch batch, long[] augmentationSeeds) {
                    return targets;
                }

                @Override
                public double temperature() {
                    return 2;
                }
            };
            try (StepRunner runner = new StepRunner(model, settings(1, 1e-3), manager); NDManager step = manager.newSubManager()) {
                // Learning rate 0: the step reports the loss of these weights and changes nothing.
                double mixed = runner.run(step, images, labels, new StepRunner.Soft(targets, 0.25, plain), runner.trainable(), 0).loss();
                assertThat(mixed).isCloseTo(0.75 * hard + 0.25 * soft, org.assertj.core.data.Offset.offset(1e-5));
                assertThat(runner.run(step, images, labels, new StepRunner.Soft(targets, 1, plain), runner.trainable(), 0).loss())
                        .isCloseTo(soft, org.assertj.core.data.Offset.offset(1e-5));
                assertThat(runner.run(step, images, labels, new StepRunner.Soft(targets, 0.25, hot), runner.trainable(), 0).loss())
                        .isCloseTo(0.75 * hard + 0.25 * tempered, org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }

    @Test
    void learnsWellAboveChance(@TempDir Path dir) {
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingLoop loop = new TrainingLoop(Fixtures.synthetic(), manager, 1, dir, Fixtures.silent());
            Block model = model(manager, 1);
            TrainingReport report = loop.fit(model, settings(6, 1e-2), FitOptions.named("learn").validateEachEpoch());
            assertThat(report.epochs()).hasSize(6);
            assertThat(report.epochs().get(5).loss()).isLessThan(report.epochs().get(0).loss());
            assertThat(loop.evaluate(model, Split.TEST).top1()).isGreaterThan(0.7);
            assertThat(report.imagesPerSecond()).isPositive();
        }
    }

    @Test
    void sgdLearnsToo(@TempDir Path dir) {
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingLoop loop = new TrainingLoop(Fixtures.synthetic(), manager, 1, dir, Fixtures.silent());
            Block model = model(manager, 1);
            TrainingSettings sgd = TrainingSettings.builder().epochs(6).batchSize(32)
                    .optimizer(TrainingSettings.OptimizerKind.SGD).lr(0.1).minLr(0)
                    .warmupEpochs(0).warmupLr(0.1).weightDecay(1e-4)
                    .momentum(0.9).labelSmoothing(0).clipGradNorm(0).maxStepsPerEpoch(0).build();
            loop.fit(model, sgd, FitOptions.named("sgd"));
            assertThat(loop.evaluate(model, Split.TEST).top1()).isGreaterThan(0.6);
        }
    }

    @Test
    void divergingLossFailsTheTrialWithTheReason(@TempDir Path dir) {
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingLoop loop = new TrainingLoop(Fixtures.synthetic(), manager, 1, dir, Fixtures.silent());
            // A plain perceptron: nothing normalises its activations, so a wild learning rate blows them up.
            Block model = new ToySpace().build(Architecture.parse("depth=2 width=[32,32] activation=relu"), task);
            model.initialize(manager, DataType.FLOAT32, task.inputShape(1));
            TrainingSettings wild = TrainingSettings.builder().epochs(2).batchSize(32)
                    .optimizer(TrainingSettings.OptimizerKind.SGD).lr(1e12).minLr(0)
                    .warmupEpochs(0).warmupLr(1e12).weightDecay(0)
                    .momentum(0).labelSmoothing(0).clipGradNorm(0).maxStepsPerEpoch(0).build();
            assertThatThrownBy(() -> loop.fit(model, wild, FitOptions.named("wild")))
                    .isInstanceOf(TrialFailedException.class).hasMessageContaining("loss became");
        }
    }

    @Test
    void resumingFromAnEpochCheckpointEqualsTheUninterruptedRun(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Path straight = Files.createDirectories(dir.resolve("straight"));
            Block reference = model(manager, 5);
            new TrainingLoop(Fixtures.synthetic(), manager, 3, straight, Fixtures.silent())
                    .fit(reference, settings(3, 5e-3), FitOptions.named("m").checkpointed());

            Path interrupted = Files.createDirectories(dir.resolve("interrupted"));
            Block first = model(manager, 5);
            List<Parameter> all = StateDict.names(first).values().stream().filter(Parameter::requiresGradient).toList();
            long stepsPerEpoch = Fixtures.synthetic().split(Split.TRAIN).size() / 32;
            // Dies at the first step of epoch 3, after epoch 2's checkpoint: like a kill.
            assertThatThrownBy(() -> new TrainingLoop(Fixtures.synthetic(), manager, 3, interrupted, Fixtures.silent())
                    .fit(first, settings(3, 5e-3), FitOptions.named("m").checkpointed().hook((step, random) -> {
                        if (step == 2 * stepsPerEpoch) {
                            throw new IllegalStateException("killed");
                        }
                        return all;
                    }))).hasMessage("killed");
            Block resumed = model(manager, 77);
            TrainingReport report = new TrainingLoop(Fixtures.synthetic(), manager, 3, interrupted, Fixtures.silent())
                    .fit(resumed, settings(3, 5e-3), FitOptions.named("m").checkpointed());
            assertThat(report.epochs()).extracting(TrainingReport.Epoch::epoch).containsExactly(1, 2, 3);
            Map<String, NDArray> a = StateDict.tensors(reference);
            Map<String, NDArray> b = StateDict.tensors(resumed);
            for (String name : a.keySet()) {
                assertThat(a.get(name).sub(b.get(name)).abs().max().getFloat()).as(name).isLessThan(1e-6f);
            }
        }
    }

    /** Trains 3 epochs of "m" in {@code folder} but dies at the first step of epoch 3, after epoch 2's checkpoint: like a kill. */
    private void trainUntilEpoch3Dies(NDManager manager, Path folder) {
        Block first = model(manager, 5);
        List<Parameter> all = StateDict.names(first).values().stream().filter(Parameter::requiresGradient).toList();
        long stepsPerEpoch = Fixtures.synthetic().split(Split.TRAIN).size() / 32;
        assertThatThrownBy(() -> new TrainingLoop(Fixtures.synthetic(), manager, 3, folder, Fixtures.silent())
                .fit(first, settings(3, 5e-3), FitOptions.named("m").checkpointed().hook((step, random) -> {
                    if (step == 2 * stepsPerEpoch) {
                        throw new IllegalStateException("killed");
                    }
                    return all;
                }))).hasMessage("killed");
    }

    private Map<String, NDArray> uninterrupted(NDManager manager, Path folder) {
        Block reference = model(manager, 5);
        new TrainingLoop(Fixtures.synthetic(), manager, 3, folder, Fixtures.silent())
                .fit(reference, settings(3, 5e-3), FitOptions.named("m").checkpointed());
        return StateDict.tensors(reference);
    }

    private static void assertSameWeights(Map<String, NDArray> a, Block b) {
        Map<String, NDArray> other = StateDict.tensors(b);
        for (String name : a.keySet()) {
            assertThat(a.get(name).sub(other.get(name)).abs().max().getFloat()).as(name).isLessThan(1e-6f);
        }
    }

    @Test
    void aCheckpointWriteCutShortByAStopRedoesThatEpochAndSaysSo(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> reference = uninterrupted(manager, Files.createDirectories(dir.resolve("straight")));
            Path folder = Files.createDirectories(dir.resolve("interrupted"));
            trainUntilEpoch3Dies(manager, folder);
            // What a kill while epoch 3's checkpoint was being written leaves: the temporary file, half written.
            byte[] whole = Files.readAllBytes(folder.resolve("m.checkpoint.safetensors"));
            Path part = Files.write(folder.resolve("m.checkpoint.safetensors.8123456.part"), java.util.Arrays.copyOf(whole, whole.length / 2));
            RecordingProgress progress = new RecordingProgress();
            Block resumed = model(manager, 77);
            TrainingReport report = new TrainingLoop(Fixtures.synthetic(), manager, 3, folder, progress)
                    .fit(resumed, settings(3, 5e-3), FitOptions.named("m").checkpointed());
            assertThat(progress.notes()).containsExactly(
                    "m: resumed after epoch 2 from its checkpoint; the checkpoint of epoch 3 was cut short by a stop, so epoch 3 starts again");
            assertThat(part).doesNotExist();
            assertThat(report.epochs()).extracting(TrainingReport.Epoch::epoch).containsExactly(1, 2, 3);
            assertSameWeights(reference, resumed);
        }
    }

    @Test
    void aDamagedCheckpointIsSetAsideAndTrainingStartsAgain(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> reference = uninterrupted(manager, Files.createDirectories(dir.resolve("straight")));
            Path folder = Files.createDirectories(dir.resolve("interrupted"));
            trainUntilEpoch3Dies(manager, folder);
            Path checkpoint = folder.resolve("m.checkpoint.safetensors");
            byte[] whole = Files.readAllBytes(checkpoint);
            Files.write(checkpoint, java.util.Arrays.copyOf(whole, whole.length - 100));
            RecordingProgress progress = new RecordingProgress();
            Block resumed = model(manager, 5);
            TrainingReport report = new TrainingLoop(Fixtures.synthetic(), manager, 3, folder, progress)
                    .fit(resumed, settings(3, 5e-3), FitOptions.named("m").checkpointed());
            assertThat(progress.notes()).singleElement().asString().startsWith(checkpoint + ": damaged checkpoint (tensor '")
                    .contains("beyond the").endsWith("); kept as m.checkpoint.safetensors.damaged, m starts again from epoch 1");
            assertThat(folder.resolve("m.checkpoint.safetensors.damaged")).hasBinaryContent(java.util.Arrays.copyOf(whole, whole.length - 100));
            assertThat(report.epochs()).extracting(TrainingReport.Epoch::epoch).containsExactly(1, 2, 3);
            assertSameWeights(reference, resumed);
        }
    }

    /** Wraps a network and records the schedule calls it receives. */
    static final class Recording extends AbstractBlock implements EpochAware {
        final List<String> calls = new ArrayList<>();
        private final Block inner;

        Recording(Block inner) {
            this.inner = addChildBlock("inner", inner);
        }

        @Override
        public void beginEpoch(int epoch, int epochs) {
            calls.add(epoch + "/" + epochs);
        }

        @Override
        public void endTraining() {
            calls.add("end");
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            return inner.forward(store, inputs, training, params);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inner.getOutputShapes(inputShapes);
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            inner.initialize(manager, dataType, inputShapes);
        }
    }

    @Test
    void epochAwareBlocksFollowTheScheduleAlsoOnResume(@TempDir Path dir) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engines.seed(1);
            Recording model = new Recording(space.build(MEMBER, task));
            model.initialize(manager, DataType.FLOAT32, task.inputShape(1));
            new TrainingLoop(Fixtures.synthetic(), manager, 1, dir, Fixtures.silent())
                    .fit(model, settings(2, 1e-3), FitOptions.named("aware").checkpointed());
            assertThat(model.calls).containsExactly("1/2", "2/2", "end");
            model.calls.clear();
            new TrainingLoop(Fixtures.synthetic(), manager, 1, dir, Fixtures.silent())
                    .fit(model, settings(3, 1e-3), FitOptions.named("aware").checkpointed());
            assertThat(model.calls).containsExactly("3/3", "end");
        }
    }

    @Test
    void nativeMemoryStaysFlatAcrossSteps(@TempDir Path dir) {
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingLoop loop = new TrainingLoop(Fixtures.synthetic(), manager, 1, dir, Fixtures.silent());
            Block model = model(manager, 1);
            loop.fit(model, settings(1, 1e-3), FitOptions.named("warm"));
            int before = manager.getManagedArrays().size();
            loop.fit(model, settings(3, 1e-3), FitOptions.named("flat"));
            loop.evaluate(model, Split.VALIDATION);
            assertThat(manager.getManagedArrays().size()).isEqualTo(before);
        }
    }

    /** SPOS's recalibration: a batch norm's running statistics become those of the training images, whatever they were. */
    @Test
    void recalibrationSetsTheRunningStatisticsToTheTrainingImages(@TempDir Path dir) {
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingLoop loop = new TrainingLoop(Fixtures.synthetic(), manager, 1, dir, Fixtures.silent());
            BatchNorm norm = new BatchNorm(task.channels(), 1f);
            Block model = new Sequential(norm);
            model.initialize(manager, DataType.FLOAT32, task.inputShape(1));
            NDArray runningMean = norm.getParameters().get("running_mean").getArray();
            runningMean.set(new float[task.channels()]);
            runningMean.addi(50);
            loop.recalibrate(model, 0);
            assertThat(runningMean.toFloatArray()[0]).as("0 images: left as it is").isEqualTo(50f);

            ImageSplit train = Fixtures.synthetic().split(Split.TRAIN);
            int[] all = java.util.stream.IntStream.range(0, train.size()).toArray();
            NDArray images = train.batch(manager, all, null).images();
            loop.recalibrate(model, train.size());
            for (int c = 0; c < task.channels(); c++) {
                NDArray channel = images.get(":, " + c).flatten();
                double mean = channel.mean().getFloat();
                double variance = channel.sub(mean).square().mean().getFloat();
                assertThat((double) runningMean.toFloatArray()[c]).as("mean of channel %d", c).isCloseTo(mean, within(1e-4));
                assertThat((double) norm.getParameters().get("running_var").getArray().toFloatArray()[c]).as("variance of channel %d", c)
                        .isCloseTo(variance, within(0.02 * variance));
            }
        }
    }
}

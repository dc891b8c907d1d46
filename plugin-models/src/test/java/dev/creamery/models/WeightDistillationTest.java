package dev.creamery.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import dev.creamery.api.Architecture;
import dev.creamery.api.Batch;
import dev.creamery.api.SoftTargets;
import dev.creamery.api.Split;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.api.nn.Losses;
import dev.creamery.api.nn.Scalars;
import dev.creamery.api.nn.Taps;
import dev.creamery.runtime.cli.Creamery;
import dev.creamery.runtime.job.DistillationJob;
import dev.creamery.runtime.job.JobLoader;
import dev.creamery.runtime.job.LoadedJob;
import dev.creamery.runtime.job.RunFolder;
import dev.creamery.runtime.job.TrainRunner;
import dev.creamery.runtime.model.ModelResolver;
import dev.creamery.runtime.train.StepRunner;
import dev.creamery.testkit.RecordingProgress;
import dev.creamery.wiring.ComponentRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MiniViT's weight distillation through a training job: the layers a multiplexed student and a DeiT
 * teacher report, the step's loss with the relations of the chosen layers, and the errors of layers
 * that do not pair up.
 */
class WeightDistillationTest {
    private static final String TEACHER = "deit:embed_dim=24 depth=4 num_heads=2 mlp_ratio=2 patch_size=4";
    private static final String STUDENT = "minivit:embed_dim=16 depth=4 num_heads=2 mlp_ratio=2 patch_size=4 use_cls_token=true";
    private static final Task TASK = Task.square(1, 8, 4);

    @TempDir
    static Path dir;

    private static ComponentRegistry registry;

    @BeforeAll
    static void trainTheTeacher() throws IOException {
        registry = ComponentRegistry.load(WeightDistillationTest.class.getClassLoader());
        Path job = write("teacher.conf", "job { name = teacher, seed = 3, compute { device = cpu }\n" + data()
                + "model = \"" + TEACHER + "\"\ntraining { epochs = 2, batch-size = 32, lr = 1e-3, warmup-epochs = 0 } }");
        JsonObject teacher = new TrainRunner(registry, new RecordingProgress())
                .run(new JobLoader(registry).load(job, List.of(), JobLoader.Purpose.TRAIN), dir.resolve("teacher"), RunFolder.Mode.NEW);
        assertThat(teacher.get("test_accuracy").getAsDouble()).isGreaterThan(0.4);
    }

    private static String data() {
        return "data { type = synthetic, size = 8, classes = 4, train-size = 256, validation-size = 64, test-size = 128 }\n";
    }

    private static Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static Path studentJob(String name, String model, String relations) throws IOException {
        return write(name, "job { name = student, seed = 5, compute { device = cpu }\n" + data() + "model = \"" + model + "\"\n"
                + "training { epochs = 1, batch-size = 32, lr = 1e-3, warmup-epochs = 0 }\n"
                + "distillation { mode = online, top-k = 4, temperature = 2, label-weight = 0.25\n"
                + "  teacher { model = \"" + dir.resolve("teacher/model.json") + "\", weights = \""
                + dir.resolve("teacher/model.safetensors") + "\" }\n"
                + "  relations { " + relations + " } } }");
    }

    /** Four uses of two multiplexed blocks are four layers; the last one's output is what the head reads. */
    @Test
    void aMultiplexedBlockReportsEachUse() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MiniVitFamily family = new MiniVitFamily(new DeitSettings(0));
            Block model = family.build(Architecture.parse(STUDENT.substring("minivit:".length())), TASK);
            model.initialize(manager, DataType.FLOAT32, TASK.inputShape(1));
            NDArray images = manager.randomNormal(TASK.inputShape(3));
            Recorded recorded = Recorded.of(model, images, false, List.of(3, 0, 1, 2));
            NDArray logits = recorded.logits();
            List<NDArray[]> attention = recorded.attention();
            List<NDArray> hidden = recorded.hidden();
            assertThat(attention).hasSize(4);
            assertThat(hidden).hasSize(4);
            // 4 patches and the class token, 2 heads of 8 side by side.
            assertThat(attention.get(2)[1].getShape()).isEqualTo(new Shape(3, 5, 16));
            assertThat(hidden.get(3).getShape()).isEqualTo(new Shape(3, 5, 16));
            // The two uses of block 0 share their projections but not their norms: different queries.
            assertThat(attention.get(0)[0].sub(attention.get(1)[0]).abs().max().getFloat()).isGreaterThan(1e-3f);

            var tensors = StateDict.tensors(model);
            NDArray last = hidden.get(3);
            NDArray centred = last.sub(last.mean(new int[] {-1}, true));
            NDArray normed = centred.div(centred.square().mean(new int[] {-1}, true).add(1e-6).sqrt())
                    .mul(tensors.get("norm.weight")).add(tensors.get("norm.bias"));
            NDArray expected = normed.get(":, 0").matMul(tensors.get("head.weight").transpose()).add(tensors.get("head.bias"));
            assertThat(logits.sub(expected).abs().max().getFloat()).isLessThan(1e-5f);
        }
    }

    /**
     * One step at learning rate 0 reports the loss it differentiates: the labels' share, the soft labels' at the temperature,
     * and the relations of the shallower chosen layers paired with each other, the deeper with each other.
     */
    @Test
    void aStepAddsTheRelationsOfThePairedLayers() throws IOException {
        Path job = studentJob("relations.conf", STUDENT, "student-layers = [3, 1], teacher-layers = [2, 0], attention-weight = 0.5, "
                + "heads = 2, hidden-weight = 0.3");
        LoadedJob loaded = new JobLoader(registry).load(job, List.of(), JobLoader.Purpose.TRAIN);
        ModelResolver resolver = new ModelResolver(registry);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block student = resolver.resolve(STUDENT).forTask(TASK).build(manager);
            try (SoftTargets targets = new DistillationJob(loaded, registry, false).targets(manager, 1, student)) {
                Block teacher = resolver.resolve(dir.resolve("teacher/model.json").toString())
                        .load(dir.resolve("teacher/model.safetensors"), manager);
                Batch batch = loaded.settings().data().split(Split.TRAIN).batch(manager, new int[] {0, 1, 2, 3, 4, 5}, null);

                Recorded t = Recorded.of(teacher, batch.images(), false, List.of(0, 2));
                Recorded s = Recorded.of(student, batch.images(), true, List.of(1, 3));
                double expected = 0.25 * Losses.crossEntropy(s.logits(), batch.labels(), 0.1).getFloat()
                        + 0.75 * Losses.logitDistillation(s.logits(), t.logits(), 2).getFloat()
                        + 0.5 * Losses.attentionRelation(s.attention(), t.attention(), 2).getFloat()
                        + 0.3 * Losses.hiddenRelation(s.hidden(), t.hidden()).getFloat();

                try (StepRunner runner = new StepRunner(student, loaded.settings().training(), manager);
                        NDManager step = manager.newSubManager()) {
                    NDArray probabilities = targets.of(step, 1, batch, new long[6]);
                    StepRunner.Soft soft = new StepRunner.Soft(probabilities, 0.75, targets);
                    double loss = runner.run(step, batch.images(), batch.labels(), soft, runner.trainable(), 0).loss();
                    assertThat(loss).isCloseTo(expected, offset(1e-5));
                    // A step computed again (its gradients came back NaN) asks for the same batch's relations once more.
                    assertThat(runner.run(step, batch.images(), batch.labels(), soft, runner.trainable(), 0).loss())
                            .isCloseTo(loss, offset(1e-6));
                    // Without the relations the loss is the prediction loss alone: they were counted, not zero.
                    double relations = Scalars.times(Losses.attentionRelation(s.attention(), t.attention(), 2), 0.5).getFloat();
                    assertThat(relations).isGreaterThan(1e-3);
                }
            }
        }
    }

    /** A model's logits and the layers it reported in one forward pass. */
    private record Recorded(NDArray logits, List<NDArray[]> attention, List<NDArray> hidden) {
        static Recorded of(Block model, NDArray images, boolean training, List<Integer> layers) {
            try (Taps taps = Taps.record(layers)) {
                NDArray logits = model.forward(new ParameterStore(images.getManager(), false), new NDList(images), training)
                        .singletonOrThrow();
                return new Recorded(logits, taps.attention(), taps.hidden());
            }
        }
    }

    @Test
    void aJobTrainsWithRelations() throws IOException {
        Path job = studentJob("train.conf", STUDENT, "student-layers = [1, 3], teacher-layers = [1, 3]");
        Result result = creamery("train", job.toString(), "--out", dir.resolve("runs/relations").toString());
        assertThat(result.status()).as(result.err()).isZero();
        String json = Files.readString(dir.resolve("runs/relations/result.json"));
        assertThat(json).contains("\"test_accuracy\"");
        // mode = none ignores the rest of the block, relations too: the same job is its own baseline.
        Result labels = creamery("train", job.toString(), "--set", "distillation.mode=none", "--out", dir.resolve("runs/labels").toString());
        assertThat(labels.status()).as(labels.err()).isZero();
    }

    @Test
    void layersThatDoNotPairUpAreRefusedBeforeAnythingIsWritten() throws IOException {
        Path deep = studentJob("deep.conf", STUDENT, "student-layers = [4], teacher-layers = [1]");
        Result tooDeep = creamery("train", deep.toString(), "--out", dir.resolve("runs/deep").toString());
        assertThat(tooDeep.status()).isEqualTo(2);
        assertThat(tooDeep.err()).contains("job.distillation.relations.student-layers", "deep.conf",
                "the student " + STUDENT + ": layer 4 was asked for, but the forward pass reported 4 attention layers; layers count from 0");
        assertThat(dir.resolve("runs/deep")).doesNotExist();

        Path pooled = studentJob("pooled.conf", STUDENT.replace(" use_cls_token=true", ""), "student-layers = [1], teacher-layers = [1]");
        Result tokens = creamery("train", pooled.toString(), "--out", dir.resolve("runs/pooled").toString());
        assertThat(tokens.status()).isEqualTo(2);
        assertThat(tokens.err()).contains("job.distillation.relations", "student layer 1 and teacher layer 1 attend over 4 tokens and 5 tokens;"
                + " pair layers that attend over the same tokens");
        assertThat(dir.resolve("runs/pooled")).doesNotExist();

        Path stored = studentJob("stored.conf", STUDENT, "student-layers = [1], teacher-layers = [1]");
        Result storedResult = creamery("train", stored.toString(), "--set", "distillation.mode=stored", "--set", "distillation.temperature=1",
                "--set", "distillation.store=\"" + dir.resolve("store") + "\"");
        assertThat(storedResult.status()).isEqualTo(2);
        assertThat(storedResult.err()).contains("relations learn from the teacher's intermediates, which only a running teacher has: "
                + "they need mode = online");
    }

    private record Result(int status, String out, String err) {}

    private static Result creamery(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Creamery.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }
}

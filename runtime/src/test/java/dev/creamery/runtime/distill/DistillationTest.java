package dev.creamery.runtime.distill;

import static dev.creamery.runtime.Commands.creamery;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.google.gson.JsonObject;
import dev.creamery.api.Batch;
import dev.creamery.api.FitOptions;
import dev.creamery.api.SoftTargets;
import dev.creamery.runtime.Commands.Result;
import dev.creamery.runtime.Fixtures;
import dev.creamery.runtime.Jobs;
import dev.creamery.runtime.cli.Creamery;
import dev.creamery.runtime.job.DistillationJob;
import dev.creamery.runtime.job.JobLoader;
import dev.creamery.runtime.job.LoadedJob;
import dev.creamery.runtime.job.RunFolder;
import dev.creamery.runtime.job.TrainRunner;
import dev.creamery.runtime.model.ModelResolver;
import dev.creamery.runtime.train.TrainingLoop;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distillation end to end on synthetic data: a recording teacher is trained, its soft labels saved
 * with {@code creamery save-logits}, checked, and learnt from by a student.
 */
class DistillationTest {
    private static final int TRAIN_SIZE = 256;

    @TempDir
    static Path dir;

    static Path job;

    private static String data() {
        return "data { type = synthetic, size = 8, classes = 4, train-size = " + TRAIN_SIZE + ", validation-size = 64, test-size = 128, "
                + "noise = 0.25, augment { crop-padding = 1, horizontal-flip = true } }\n";
    }

    @BeforeAll
    static void trainTheTeacherAndSaveItsLogits() {
        Path teacherJob = Jobs.write(dir, "teacher.conf", "job { name = teacher, seed = 5, compute { device = cpu, threads = 1 }\n" + data()
                + "model = \"recording-mlp:depth=2 width=[32,32] activation=tanh\"\n"
                + "training { epochs = 10, batch-size = 32, lr = 3e-3, warmup-epochs = 0 } }");
        JsonObject teacher = new TrainRunner(Jobs.registry(), Fixtures.silent())
                .run(Jobs.load(teacherJob, JobLoader.Purpose.TRAIN), dir.resolve("teacher"), RunFolder.Mode.NEW);
        assertThat(teacher.get("test_accuracy").getAsDouble()).isGreaterThan(0.75);
        job = Jobs.write(dir, "student.conf", "job { name = student, seed = 9, compute { device = cpu, threads = 1 }\n" + data()
                + "model = \"tiny-mlp:depth=1 width=[16] activation=relu\"\n"
                + "training { epochs = 3, batch-size = 16, lr = 1e-2, warmup-epochs = 0 }\n"
                + "distillation { mode = stored, top-k = 2, store = \"" + dir.resolve("store") + "\"\n"
                + "  teacher { model = \"" + dir.resolve("teacher/model.json") + "\", weights = \""
                + dir.resolve("teacher/model.safetensors") + "\" } } }");
        Result saved = creamery("save-logits", job.toString());
        assertThat(saved.status()).as(saved.err()).isZero();
        assertThat(saved.out()).contains("saved 3 epoch(s) of 1-3");
    }

    @Test
    void storedDistillationLearnsWithoutRunningTheTeacher() {
        RecordingFamilyPlugin.reset();
        JsonObject stored = train("stored");
        assertThat(RecordingFamilyPlugin.inferences()).isZero();
        assertThat(stored.get("test_accuracy").getAsDouble()).isGreaterThan(0.7);

        JsonObject online = train("online");
        // 16 steps in each of 3 epochs, one teacher pass each.
        assertThat(RecordingFamilyPlugin.inferences()).isEqualTo(3 * TRAIN_SIZE / 16);
        assertThat(online.get("test_accuracy").getAsDouble()).isGreaterThan(0.7);
    }

    private static Block student(LoadedJob loaded, NDManager manager) throws IOException {
        return new ModelResolver(Jobs.registry()).resolve("tiny-mlp:depth=1 width=[16] activation=relu")
                .forTask(loaded.settings().data().task()).build(manager);
    }

    private static JsonObject train(String mode) {
        LoadedJob loaded = Jobs.load(job, JobLoader.Purpose.TRAIN, "distillation.mode=" + mode);
        return new TrainRunner(Jobs.registry(), Fixtures.silent()).run(loaded, dir.resolve("runs/" + mode), RunFolder.Mode.NEW);
    }

    @Test
    void theStudentSeesExactlyTheImagesTheTeacherSaw() throws Exception {
        Path store = dir.resolve("replay");
        RecordingFamilyPlugin.reset();
        assertThat(creamery("save-logits", job.toString(), "--set", "distillation.store=\"" + store + "\"", "--epochs", "1-2").status())
                .isZero();
        List<float[]> seenByTeacher = new ArrayList<>(RecordingFamilyPlugin.IMAGES);
        assertThat(seenByTeacher).hasSize(2 * TRAIN_SIZE);

        LoadedJob loaded = Jobs.load(job, JobLoader.Purpose.TRAIN, "distillation.store=\"" + store + "\"", "training.epochs=2");
        List<Integer> compared = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            Block student = student(loaded, manager);
            try (SoftTargets stored = new DistillationJob(loaded, Jobs.registry(), false).targets(manager, 2, student)) {
                SoftTargets recording = new SoftTargets() {
                    @Override
                    public NDArray of(NDManager scope, int epoch, Batch batch, long[] augmentationSeeds) {
                        float[] images = batch.images().toFloatArray();
                        int size = images.length / batch.size();
                        for (int i = 0; i < batch.size(); i++) {
                            float[] row = java.util.Arrays.copyOfRange(images, i * size, (i + 1) * size);
                            assertThat(row).containsExactly(seenByTeacher.get((epoch - 1) * TRAIN_SIZE + batch.indices()[i]));
                            compared.add(batch.indices()[i]);
                        }
                        return stored.of(scope, epoch, batch, augmentationSeeds);
                    }

                };
                new TrainingLoop(loaded.settings().data(), manager, loaded.settings().seed(), dir, Fixtures.silent())
                        .fit(student, loaded.settings().training(), FitOptions.named("replay").softTargets(recording, 1));
            }
        }
        assertThat(compared).hasSize(2 * TRAIN_SIZE);
        // The augmentation changes from epoch to epoch, so matching images is no coincidence.
        long changed = java.util.stream.IntStream.range(0, TRAIN_SIZE)
                .filter(i -> !java.util.Arrays.equals(seenByTeacher.get(i), seenByTeacher.get(TRAIN_SIZE + i))).count();
        assertThat(changed).isGreaterThan(TRAIN_SIZE / 2);
    }

    @Test
    void nativeMemoryStaysFlatWhileLearningFromATeacher() throws Exception {
        for (String mode : List.of("online", "stored")) {
            LoadedJob loaded = Jobs.load(job, JobLoader.Purpose.TRAIN, "distillation.mode=" + mode);
            try (NDManager manager = NDManager.newBaseManager()) {
                Block student = student(loaded, manager);
                try (SoftTargets targets = new DistillationJob(loaded, Jobs.registry(), false).targets(manager, 3, student)) {
                    TrainingLoop loop = new TrainingLoop(loaded.settings().data(), manager, loaded.settings().seed(), dir,
                            Fixtures.silent());
                    loop.fit(student, loaded.settings().training(), FitOptions.named("warm-" + mode).softTargets(targets, 1));
                    int before = manager.getManagedArrays().size();
                    loop.fit(student, loaded.settings().training(), FitOptions.named("flat-" + mode).softTargets(targets, 1));
                    assertThat(manager.getManagedArrays().size()).as(mode).isEqualTo(before);
                }
            }
        }
    }

    @Test
    void checkReportsTamperedEntriesAndDamagedFilesByName() throws Exception {
        Path store = dir.resolve("checked");
        String at = "distillation.store=\"" + store + "\"";
        assertThat(creamery("save-logits", job.toString(), "--set", at).status()).isZero();
        Result intact = creamery("save-logits", job.toString(), "--set", at, "--check", "1000");
        assertThat(intact.status()).as(intact.err()).isZero();
        assertThat(intact.out()).contains("all match");

        LogitStore logits = new DistillationJob(Jobs.load(job, JobLoader.Purpose.TRAIN, at), Jobs.registry(), true).createStore();
        rewriteWithAWrongEntry(logits, 2, 17);
        try (RandomAccessFile file = new RandomAccessFile(logits.file(3).toFile(), "rw")) {
            file.setLength(file.length() / 2);
        }
        Result tampered = creamery("save-logits", job.toString(), "--set", at, "--check", "1000");
        assertThat(tampered.status()).isEqualTo(Creamery.USAGE);
        assertThat(tampered.err()).contains("epoch-0002.logits: entry 17 ").contains("epoch-0003.logits").contains("truncated")
                .doesNotContain("epoch-0001.logits");
        assertThat(tampered.out()).contains("2 problem(s)");
    }

    /** Writes an epoch again with one entry's classes swapped, as a bug or a bad disk might have. */
    private static void rewriteWithAWrongEntry(LogitStore store, int epoch, int wrong) throws Exception {
        List<LogitStore.Entry> entries = new ArrayList<>();
        try (LogitStore.Reader reader = store.reader(epoch)) {
            for (int i = 0; i < TRAIN_SIZE; i++) {
                entries.add(reader.entry(i));
            }
        }
        Files.delete(store.file(epoch));
        try (LogitStore.Writer writer = store.writer(epoch)) {
            for (int i = 0; i < TRAIN_SIZE; i++) {
                LogitStore.Entry entry = entries.get(i);
                int[] classes = entry.classes().clone();
                if (i == wrong) {
                    classes = new int[] {classes[1], classes[0]};
                }
                writer.append(entry.seed(), classes, entry.probabilities());
            }
            writer.commit();
        }
    }

    @Test
    void processesFillDisjointEpochRangesOfOneStoreAndFinishedEpochsAreKept() throws Exception {
        Path store = dir.resolve("parallel");
        String at = "distillation.store=\"" + store + "\"";
        CompletableFuture<Result> first = CompletableFuture.supplyAsync(() -> creamery("save-logits", job.toString(), "--set", at,
                "--set", "training.epochs=4", "--epochs", "1-2"));
        CompletableFuture<Result> second = CompletableFuture.supplyAsync(() -> creamery("save-logits", job.toString(), "--set", at,
                "--set", "training.epochs=4", "--epochs", "3-4"));
        assertThat(first.get().status()).as(first.get().err()).isZero();
        assertThat(second.get().status()).as(second.get().err()).isZero();
        try (var files = Files.list(store)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted()).containsExactly("epoch-0001.logits", "epoch-0002.logits",
                    "epoch-0003.logits", "epoch-0004.logits", "manifest.json");
        }
        RecordingFamilyPlugin.reset();
        Result again = creamery("save-logits", job.toString(), "--set", at, "--set", "training.epochs=4");
        assertThat(again.out()).contains("saved 0 epoch(s) of 1-4");
        assertThat(RecordingFamilyPlugin.inferences()).isZero();
        assertThat(creamery("save-logits", job.toString(), "--set", at, "--set", "training.epochs=4", "--check", "50").status())
                .isZero();
    }

    @Test
    void mismatchesAndMissingSettingsFailWithStatus2() {
        Result otherK = creamery("train", job.toString(), "--set", "distillation.top-k=3", "--out", dir.resolve("runs/k3").toString());
        assertThat(otherK.status()).isEqualTo(Creamery.USAGE);
        assertThat(otherK.err()).contains("was filled for another job").contains("top-k: the store has 2, the job 3");
        assertThat(dir.resolve("runs/k3")).doesNotExist();

        Result otherSeed = creamery("save-logits", job.toString(), "--set", "seed=10");
        assertThat(otherSeed.status()).isEqualTo(Creamery.USAGE);
        assertThat(otherSeed.err()).contains("seed: the store has 9, the job 10");

        Result moreEpochs = creamery("train", job.toString(), "--set", "training.epochs=5", "--out", dir.resolve("runs/e5").toString());
        assertThat(moreEpochs.status()).isEqualTo(Creamery.USAGE);
        assertThat(moreEpochs.err()).contains("lacks epoch(s) 4, 5 of 5").contains("--epochs 4-5");

        Result noStore = creamery("save-logits", job.toString(), "--set", "distillation.store=null", "--set", "distillation.mode=none");
        assertThat(noStore.status()).isEqualTo(Creamery.USAGE);
        assertThat(noStore.err()).contains("job.distillation.store");

        Result noTeacher = creamery("train", job.toString(), "--set", "distillation.teacher.model=null");
        assertThat(noTeacher.status()).isEqualTo(Creamery.USAGE);
        assertThat(noTeacher.err()).contains("job.distillation").contains("needs the teacher");

        Result unfilled = creamery("save-logits", job.toString(), "--set", "training.epochs=4", "--check", "10");
        assertThat(unfilled.status()).isEqualTo(Creamery.USAGE);
        assertThat(unfilled.err()).contains("epoch-0004.logits: not stored").doesNotContain("epoch-0003");

        Result badRange = creamery("save-logits", job.toString(), "--epochs", "3-1");
        assertThat(badRange.status()).isEqualTo(Creamery.USAGE);
        assertThat(badRange.err()).contains("--epochs must be FIRST-LAST");
    }
}

package dev.creamery.runtime.distill;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.runtime.Jobs;
import dev.creamery.runtime.cli.Creamery;
import dev.creamery.runtime.model.ModelResolver;
import dev.creamery.runtime.io.Safetensors;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills {@code creamery save-logits} with SIGKILL in the middle of an epoch and saves again. */
@Tag("slow")
class KilledSaveTest {
    private static final String TEACHER = "tiny-mlp:depth=2 width=[32,32] activation=relu";

    private static List<String> files(Path folder, String suffix) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (var files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.endsWith(suffix)).sorted().toList();
        }
    }

    @TempDir
    Path dir;

    @Test
    void aKilledSaveKeepsFinishedEpochsAndRedoesTheOneUnderWay() throws Exception {
        Path weights = dir.resolve("teacher.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            Safetensors.write(weights, StateDict.tensors(new ModelResolver(Jobs.registry()).resolve(TEACHER).forTask(Task.square(1, 8, 4))
                    .build(manager)));
        }
        Path store = dir.resolve("store");
        Path job = Jobs.write(dir, "job.conf", "job { compute { device = cpu, threads = 1 }\n"
                + "data { type = synthetic, size = 8, classes = 4, train-size = 20000, validation-size = 64, test-size = 64,"
                + " augment { crop-padding = 1, horizontal-flip = true } }\n"
                + "model = tiny-mlp-s, training { epochs = 12 }\n"
                + "distillation { store = \"" + store + "\", top-k = 2, teacher { model = \"" + TEACHER + "\", weights = \"" + weights
                + "\" } } }");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), Creamery.class.getName(), "save-logits", job.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (files(store, ".logits").isEmpty() || files(store, ".part").isEmpty()) {
            assertThat(process.isAlive()).as("the save ended before it could be killed").isTrue();
            assertThat(System.nanoTime()).as("waited too long").isLessThan(deadline);
            Thread.sleep(1);
        }
        process.destroyForcibly().waitFor();
        List<String> finished = files(store, ".logits");
        assertThat(finished).hasSizeLessThan(12);
        Map<String, byte[]> before = new HashMap<>();
        for (String name : finished) {
            before.put(name, Files.readAllBytes(store.resolve(name)));
        }

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Creamery.execute(new String[] {"save-logits", job.toString()}, new PrintWriter(out), new PrintWriter(err));
        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("saved " + (12 - finished.size()) + " epoch(s) of 1-12");
        for (String name : finished) {
            assertThat(Files.readAllBytes(store.resolve(name))).as(name).isEqualTo(before.get(name));
        }
        assertThat(files(store, ".logits")).hasSize(12);
        assertThat(files(store, ".part")).isEmpty();
        int check = Creamery.execute(new String[] {"save-logits", job.toString(), "--check", "100"}, new PrintWriter(out),
                new PrintWriter(err));
        assertThat(check).as(err.toString()).isZero();
    }
}

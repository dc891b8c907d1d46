package dev.creamery.cdarts;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.creamery.runtime.cli.Creamery;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole searches through the command line on small synthetic images: CDARTS's cycles and DARTS
 * hand the genotype they found to the evaluator and the final retraining; a CDARTS search killed
 * in the middle of a cycle resumes after its last finished epoch and finds what an uninterrupted
 * one finds; the strategies refuse spaces and images they cannot search before anything runs.
 */
@Tag("slow")
class DifferentiableSearchJobTest {
    private static final String JOB = """
            job {
              name = cdarts-small
              seed = 5
              compute { device = cpu, threads = 1 }
              data { type = synthetic, size = 12, classes = 4, train-size = 192, validation-size = 32, test-size = 32 }
              space { type = darts, cells = [1, 1, 1], channels = 4, search-cells = [1, 1, 1], search-channels = 4 }
              strategy {
                type = cdarts, warmup-epochs = 1, cycles = 2, cycle-epochs = 1, batch-size = 16, max-steps-per-epoch = 3
                evaluation { warmup-epochs = 1 }
              }
              evaluator { type = train, training { epochs = 1, batch-size = 16, warmup-epochs = 0 } }
              finalize { retrain { epochs = 1, batch-size = 16, warmup-epochs = 0 } }
            }
            """;

    @TempDir
    Path dir;

    /** The exit status, the progress (which the console prints on the process's standard error) and the errors. */
    private record Outcome(int status, String out, String err) {}

    private static Outcome creamery(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(progress, true, StandardCharsets.UTF_8));
        try {
            int status = Creamery.execute(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
            return new Outcome(status, progress.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setErr(saved);
        }
    }

    private Path job(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void cdartsSearchesInCyclesAndAKilledSearchResumesWhereItStopped() throws Exception {
        Path job = job("cdarts.conf", JOB);
        Path whole = dir.resolve("whole");
        Outcome reference = creamery("run", job.toString(), "--out", whole.toString());
        assertThat(reference.status()).as(reference.err()).isZero();
        assertThat(reference.out()).contains("cdarts warm-up epoch 1/1: loss").contains("cycle 2/2: evaluation network of 3 cells")
                .contains("cdarts cycle 1/2 evaluation warm-up epoch 1/1: loss")
                .containsPattern("cdarts cycle 2/2 epoch 1/1: loss [0-9.]+, search acc [0-9.]+%, evaluation acc [0-9.]+%; genotype "
                        + "Genotype\\(normal=\\[\\[\\('")
                .contains("cdarts search done; evaluating the genotype it found: Genotype(normal=");
        List<String> trials = Files.readAllLines(whole.resolve("trials.jsonl"));
        assertThat(trials).hasSize(1);
        JsonObject result = JsonParser.parseString(Files.readString(whole.resolve("result.json"))).getAsJsonObject();
        assertThat(result.getAsJsonObject("best").has("test_accuracy")).isTrue();
        assertThat(whole.resolve("strategy").resolve(DifferentiableSearch.STATE)).exists();

        // Killed after the second epoch (the first cycle's evaluation network trained alone, its joint epoch not yet run).
        Path killed = dir.resolve("killed");
        Path log = dir.resolve("killed.log");
        Process process = start(job, killed, log);
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (!Files.exists(log) || !Files.readString(log).contains("cdarts cycle 1/2 evaluation warm-up epoch 1/1: loss")) {
            assertThat(process.isAlive()).as("the search ended before it could be killed: " + (Files.exists(log) ? Files.readString(log) : ""))
                    .isTrue();
            assertThat(System.nanoTime()).as("waited too long").isLessThan(deadline);
            Thread.sleep(20);
        }
        process.destroyForcibly().waitFor();
        assertThat(killed.resolve("trials.jsonl")).satisfies(f -> assertThat(Files.exists(f) ? Files.readAllLines(f) : List.of()).isEmpty());

        Outcome resumed = creamery("run", job.toString(), "--out", killed.toString(), "--resume");
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("cdarts: resuming after epoch 2 of 5").doesNotContain("cdarts warm-up epoch 1/1: loss")
                .doesNotContain("cdarts cycle 1/2 evaluation warm-up epoch 1/1: loss").contains("cdarts cycle 1/2 epoch 1/1: loss");
        // The same genotype, trained to the same accuracy: nothing was lost or redone differently.
        assertThat(Files.readAllLines(killed.resolve("trials.jsonl")).stream().map(DifferentiableSearchJobTest::withoutCost).toList())
                .isEqualTo(trials.stream().map(DifferentiableSearchJobTest::withoutCost).toList());
    }

    @Test
    void dartsIsTheSameLoopWithoutTheCycle() throws Exception {
        Path job = job("darts.conf", JOB.replace("type = cdarts, warmup-epochs = 1, cycles = 2, cycle-epochs = 1,", "type = darts, epochs = 2,")
                .replace("evaluation { warmup-epochs = 1 }", ""));
        Outcome outcome = creamery("run", job.toString(), "--out", dir.resolve("run").toString());
        assertThat(outcome.status()).as(outcome.err()).isZero();
        assertThat(outcome.out()).contains("darts epoch 1/2: loss").containsPattern("darts epoch 2/2: loss [0-9.]+, search acc [0-9.]+%; genotype")
                .doesNotContain("cycle").doesNotContain("evaluation acc");
        assertThat(Files.readAllLines(dir.resolve("run").resolve("trials.jsonl"))).hasSize(1);
    }

    @Test
    void spacesAndImagesTheStrategiesCannotSearchAreRefusedBeforeAnythingRuns() throws Exception {
        Path convnet = job("convnet.conf", JOB.replace("space { type = darts, cells = [1, 1, 1], channels = 4, search-cells = [1, 1, 1], "
                + "search-channels = 4 }", "space { type = convnet }"));
        Outcome outcome = creamery("run", convnet.toString(), "--out", dir.resolve("a").toString());
        assertThat(outcome.status()).isEqualTo(2);
        assertThat(outcome.err()).contains("the cdarts strategy trains a relaxed network with architecture parameters; the space offers "
                + "none: use a differentiable space, e.g. space { type = darts }");
        assertThat(dir.resolve("a").resolve("strategy")).doesNotExist();

        Path tiny = job("tiny.conf", JOB.replace("size = 12", "size = 8"));
        outcome = creamery("run", tiny.toString(), "--out", dir.resolve("b").toString());
        assertThat(outcome.status()).isEqualTo(2);
        assertThat(outcome.err()).contains("the cdarts strategy's distillation heads read the second layer's output, 2x2 for")
                .contains("they need at least 3x3 (images of at least 10x10)");
    }

    private Process start(Path job, Path out, Path log) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), Creamery.class.getName(), "run", job.toString(),
                "--out", out.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** A trial line without its wall time, which no two runs share. */
    private static String withoutCost(String line) {
        JsonObject trial = JsonParser.parseString(line).getAsJsonObject();
        JsonObject evaluation = trial.getAsJsonObject("evaluation");
        if (evaluation != null) {
            evaluation.remove("cost_seconds");
        }
        trial.remove("cost_seconds");
        return trial.toString();
    }
}

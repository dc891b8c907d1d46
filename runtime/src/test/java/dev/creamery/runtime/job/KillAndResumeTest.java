package dev.creamery.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creamery.runtime.Jobs;
import dev.creamery.runtime.cli.Creamery;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a real run with SIGKILL, twice (during supernet training, then during the search), and resumes it. */
@Tag("slow")
class KillAndResumeTest {
    private static final String JOB = """
            job {
              name = killed
              compute { device = cpu, threads = 1 }
              data { type = synthetic, size = 12, classes = 4, train-size = 3000, validation-size = 200, test-size = 200 }
              space { type = convnet, depths = [1, 2, 3], widths = [8, 16], kernels = [1, 3], stem = 8 }
              evaluator { type = one-shot, supernet { epochs = 4, batch-size = 32, warmup-epochs = 0, lr = 3e-3 } }
              strategy { type = evolution, population = 8, generations = 3, parents = 3, mutations = 3, crossovers = 3 }
              finalize { retrain { epochs = 1, batch-size = 32, warmup-epochs = 0 } }
            }
            """;

    @TempDir
    Path dir;

    private Process start(Path job, Path out, String... extra) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), Creamery.class.getName(), "run", job.toString(),
                "--out", out.toString()));
        command.addAll(List.of(extra));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("log-" + System.nanoTime()).toFile())
                .start();
    }

    private static void killWhen(Process process, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(process.isAlive()).as("the run ended before it could be killed").isTrue();
            assertThat(System.nanoTime()).as("waited too long").isLessThan(deadline);
            Thread.sleep(20);
        }
        process.destroyForcibly().waitFor();
    }

    private static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Test
    void aKilledRunResumesWithoutRedoingFinishedWork() throws Exception {
        Path job = Jobs.write(dir, "killed.conf", JOB);
        Path run = dir.resolve("run");
        Path checkpoint = run.resolve("evaluator/supernet.checkpoint.json");
        killWhen(start(job, run), () -> Files.exists(checkpoint));
        assertThat(run.resolve("trials.jsonl")).satisfies(f -> assertThat(lines(f)).isZero());

        Path journal = run.resolve("trials.jsonl");
        killWhen(start(job, run, "--resume"), () -> lines(journal) >= 3);
        List<String> before = Files.readAllLines(journal);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Creamery.execute(new String[] {"run", job.toString(), "--out", run.toString(), "--resume"}, new PrintWriter(out),
                new PrintWriter(err));
        assertThat(status).as(err.toString()).isZero();
        List<String> after = Files.readAllLines(journal);
        assertThat(after.subList(0, before.size())).containsExactlyElementsOf(before);
        assertThat(after).hasSizeGreaterThan(before.size());
        assertThat(out.toString()).contains("best architecture: depth=");
        assertThat(run.resolve("result.json")).exists();
    }
}

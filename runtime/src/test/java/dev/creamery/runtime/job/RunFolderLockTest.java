package dev.creamery.runtime.job;

import static dev.creamery.runtime.Commands.creamery;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creamery.runtime.Commands.Result;
import dev.creamery.runtime.Jobs;
import dev.creamery.runtime.cli.Creamery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two processes on one run folder: the second is refused, told the first one's process id. */
@Tag("slow")
class RunFolderLockTest {
    @TempDir
    Path dir;

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file).trim() : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void aSecondProcessIsRefusedWithTheHoldersPid() throws Exception {
        Path job = Jobs.write(dir, "long.conf", """
                job {
                  compute { device = cpu, threads = 1 }
                  data { type = synthetic, size = 8, classes = 4, train-size = 4096, validation-size = 64, test-size = 64 }
                  model = tiny-mlp-l
                  training { epochs = 1000, batch-size = 16, warmup-epochs = 0 }
                }
                """);
        Path run = dir.resolve("run");
        Process first = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), Creamery.class.getName(), "train", job.toString(), "--out", run.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("first.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!read(run.resolve(".lock")).equals(Long.toString(first.pid())) || !Files.exists(run.resolve("job.conf"))) {
                assertThat(first.isAlive()).as("the first process ended early: " + read(dir.resolve("first.log"))).isTrue();
                assertThat(System.nanoTime()).as("waited too long").isLessThan(deadline);
                Thread.sleep(10);
            }
            String refusal = "error: run folder " + run + " is in use by another creamery process (pid " + first.pid() + "); wait for "
                    + "it to end, or stop it and continue with --resume" + System.lineSeparator();
            Result second = creamery("train", job.toString(), "--out", run.toString());
            assertThat(second.status()).isEqualTo(2);
            assertThat(second.err()).isEqualTo(refusal);
            Result resume = creamery("train", job.toString(), "--out", run.toString(), "--resume");
            assertThat(resume.status()).isEqualTo(2);
            assertThat(resume.err()).isEqualTo(refusal);
            assertThat(first.isAlive()).as("the first process is untouched").isTrue();
        } finally {
            first.destroyForcibly().waitFor();
        }
        // The system freed the lock with the process: the folder can be taken again.
        try (RunFolder folder = RunFolder.open(run, RunFolder.Mode.RESUME)) {
            assertThat(read(run.resolve(".lock"))).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
        assertThat(read(run.resolve(".lock"))).isEmpty();
    }
}

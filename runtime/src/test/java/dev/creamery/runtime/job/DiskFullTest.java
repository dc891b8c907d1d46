package dev.creamery.runtime.job;

import static dev.creamery.runtime.Commands.creamery;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.creamery.runtime.Commands.Result;
import dev.creamery.runtime.Jobs;
import dev.creamery.runtime.cli.Creamery;
import dev.creamery.runtime.io.Journal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output fills up in the middle of a run. Tests run as root in CI, where permissions stop
 * nothing, so the condition is a real one root meets too: a child process whose file-size limit
 * ({@code ulimit -f}, SIGXFSZ ignored so that a write past it fails with EFBIG) the journal
 * outgrows after some trials.
 */
@Tag("slow")
class DiskFullTest {
    /** Bytes a file of the child may have: 16 blocks of 512 bytes (POSIX {@code ulimit -f} units). */
    private static final int LIMIT = 16 * 512;

    private static final String JOB = """
            job {
              name = full
              seed = 4
              compute { device = cpu, threads = 1 }
              data { type = synthetic, size = 8, classes = 4, train-size = 64, validation-size = 32, test-size = 32 }
              space { type = convnet, depths = [1, 2, 3], widths = [4, 8, 16], kernels = [1, 3, 5], stem = 4 }
              evaluator { type = train, training { epochs = 1, batch-size = 32, warmup-epochs = 0, max-steps-per-epoch = 1 } }
              strategy { type = random, trials = 60 }
            }
            """;

    @TempDir
    Path dir;

    private Process startLimited(Path job, Path out) throws IOException {
        // The engine's natives are unpacked by this process first: the child only loads them.
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.zeros(new ai.djl.ndarray.types.Shape(1));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder("/bin/sh", "-c", "trap '' XFSZ; ulimit -f " + LIMIT / 512 + " && exec \"$0\" \"$@\"", java,
                "-XX:-UsePerfData", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), Creamery.class.getName(),
                "run", job.toString(), "--out", out.toString()).redirectErrorStream(true).start();
    }

    @Test
    void aJournalThatOutgrowsTheDiskStaysWholeAndTheRunResumes() throws Exception {
        Path job = Jobs.write(dir, "full.conf", JOB);
        Path run = dir.resolve("run");
        Path journal = run.resolve("trials.jsonl");
        Process child = startLimited(job, run);
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(child.waitFor(3, TimeUnit.MINUTES)).as("the limited run ended").isTrue();
        String log = output.get();
        assertThat(child.exitValue()).as(log).isEqualTo(Creamery.FAILED);
        assertThat(log).containsPattern("error: " + java.util.regex.Pattern.quote(journal.toString()) + ": cannot append trial \\d+ "
                + java.util.regex.Pattern.quote("(File too large); free space or make the folder writable, then continue with --resume"))
                .doesNotContain("Exception").doesNotContain("\tat ");

        // Whole lines only: the part of the last line that fitted was cut off again.
        byte[] bytes = Files.readAllBytes(journal);
        assertThat(bytes.length).isLessThanOrEqualTo(LIMIT).isGreaterThan(LIMIT - 1000);
        assertThat(bytes[bytes.length - 1]).isEqualTo((byte) '\n');
        List<String> before = Files.readAllLines(journal);
        assertThat(Journal.read(journal)).hasSameSizeAs(before);

        Result resumed = creamery("run", job.toString(), "--out", run.toString(), "--resume");
        assertThat(resumed.status()).as(resumed.err()).isZero();
        List<String> after = Files.readAllLines(journal);
        assertThat(after).hasSize(60);
        assertThat(after.subList(0, before.size())).containsExactlyElementsOf(before);
        assertThat(run.resolve("result.json")).exists();
    }

    @Test
    void aCheckpointThatCannotBeWrittenIsNamedAndTheRunResumes() throws Exception {
        Path job = Jobs.write(dir, "train.conf", """
                job {
                  seed = 2
                  compute { device = cpu, threads = 1 }
                  data { type = synthetic, size = 8, classes = 4, train-size = 6000, validation-size = 64, test-size = 64 }
                  model = tiny-mlp-l
                  training { epochs = 3, batch-size = 16, warmup-epochs = 0 }
                }
                """);
        Path run = dir.resolve("train");
        Path checkpoint = run.resolve("checkpoints/train.checkpoint.safetensors");
        CompletableFuture<Result> training = CompletableFuture.supplyAsync(() -> creamery("train", job.toString(), "--out",
                run.toString()));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(run.resolve("checkpoints/train.checkpoint.json"))) {
            assertThat(training).as("the training ended before its first checkpoint").isNotDone();
            assertThat(System.nanoTime()).as("waited too long").isLessThan(deadline);
            Thread.sleep(1);
        }
        // Where epoch 2's checkpoint goes, something that is not a file and cannot be replaced by one: a folder with a file in it.
        Files.delete(checkpoint);
        Files.createDirectories(checkpoint.resolve("in-the-way"));
        Result failed = training.get(2, TimeUnit.MINUTES);
        assertThat(failed.status()).isEqualTo(Creamery.FAILED);
        assertThat(failed.err()).isEqualTo("error: " + checkpoint + ": cannot write the checkpoint of train epoch 2 (Is a directory); "
                + "free space or make the folder writable, then continue with --resume" + System.lineSeparator());
        assertThat(run.resolve("model.safetensors")).doesNotExist();

        Files.delete(checkpoint.resolve("in-the-way"));
        Files.delete(checkpoint);
        Result resumed = creamery("train", job.toString(), "--out", run.toString(), "--resume");
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(run.resolve("model.safetensors")).exists();
        try (var files = Files.list(run.resolve("checkpoints"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("train.checkpoint.safetensors",
                    "train.checkpoint.json");
        }
    }
}

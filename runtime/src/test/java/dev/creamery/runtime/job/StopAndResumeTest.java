package dev.creamery.runtime.job;

import static dev.creamery.runtime.Commands.creamery;
import static dev.creamery.runtime.Commands.creameryWithProgress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.creamery.runtime.Commands.Result;
import dev.creamery.runtime.Jobs;
import dev.creamery.runtime.cli.Creamery;
import dev.creamery.runtime.io.Journal;
import dev.creamery.runtime.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops real runs the way a user or a scheduler does, SIGTERM ({@link ProcessHandle#destroy()})
 * and Ctrl-C (SIGINT), in the middle of an epoch and of a search: the process ends within
 * seconds, says how to go on, leaves its journal and last checkpoint whole, and {@code --resume}
 * continues without redoing finished work.
 */
@Tag("slow")
class StopAndResumeTest {
    /** The most a stopped process may take to end. */
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** Whether {@code env} can give the child the default SIGINT action, which an ignored SIGINT of ours would otherwise deny it. */
    private static boolean canResetSigint() {
        try {
            return new ProcessBuilder("env", "--default-signal=INT", "true").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (canResetSigint()) {
            command.addAll(List.of("env", "--default-signal=INT"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true", "-cp",
                System.getProperty("java.class.path"), Creamery.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("log-" + System.nanoTime()).toFile())
                .start();
    }

    private static void await(Process process, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(process.isAlive()).as("the process ended before it could be stopped").isTrue();
            assertThat(System.nanoTime()).as("waited too long").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** Stops the process with the signal; it must end promptly, with the signal's exit status. */
    private static void stop(Process process, String signal) throws Exception {
        long started = System.nanoTime();
        if (signal.equals("TERM")) {
            process.toHandle().destroy();
        } else {
            assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor()).isZero();
        }
        boolean ended = process.waitFor(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        assertThat(ended).as("ended within " + PROMPTLY.toSeconds() + " s of SIG" + signal).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PROMPTLY);
        assertThat(process.exitValue()).isEqualTo(128 + (signal.equals("TERM") ? 15 : 2));
    }

    private static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String log(Path dir) throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("log-")).sorted().toList()) {
                all.append(Files.readString(file));
            }
        }
        return all.toString();
    }

    private static void assertWholeCheckpoint(Path folder, String name) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Safetensors.Contents contents = Safetensors.readContents(folder.resolve(name + ".checkpoint.safetensors"), manager);
            assertThat(contents.metadata()).containsKey("creamery.checkpoint");
        }
        try (var files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(f -> f.endsWith(".part"));
        }
    }

    @Test
    void trainingStoppedBySigtermMidEpochResumesToTheUninterruptedResult() throws Exception {
        Path job = Jobs.write(dir, "train.conf", """
                job {
                  seed = 6
                  compute { device = cpu, threads = 1 }
                  data { type = synthetic, size = 8, classes = 4, train-size = 8192, validation-size = 64, test-size = 64 }
                  model = tiny-mlp-l
                  training { epochs = 3, batch-size = 16, warmup-epochs = 0 }
                }
                """);
        Path run = dir.resolve("stopped");
        Process process = start("train", job.toString(), "--out", run.toString());
        Path checkpoints = run.resolve("checkpoints");
        await(process, () -> Files.exists(checkpoints.resolve("train.checkpoint.json")));
        Thread.sleep(200); // into epoch 2
        stop(process, "TERM");
        assertThat(log(dir)).contains("stopped: " + run + " keeps every finished epoch; give the same command with --resume to continue");
        assertWholeCheckpoint(checkpoints, "train");

        Result resumed = creameryWithProgress("train", job.toString(), "--out", run.toString(), "--resume");
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(resumed.err()).containsPattern("train: resumed after epoch [12] from its checkpoint");

        Path straight = dir.resolve("straight");
        Result uninterrupted = creamery("train", job.toString(), "--out", straight.toString());
        assertThat(uninterrupted.status()).as(uninterrupted.err()).isZero();
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> a = Safetensors.read(straight.resolve("model.safetensors"), manager);
            Map<String, NDArray> b = Safetensors.read(run.resolve("model.safetensors"), manager);
            assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
            a.forEach((name, tensor) -> assertThat(tensor.sub(b.get(name)).abs().max().getFloat()).as(name).isLessThan(1e-6f));
        }
    }

    @Test
    void aSearchStoppedByCtrlCInItsSupernetAndBySigtermInItsSearchResumes() throws Exception {
        assumeThat(canResetSigint()).as("env --default-signal (GNU coreutils 8.31+) to undo an inherited SIG_IGN of SIGINT").isTrue();
        Path job = Jobs.write(dir, "search.conf", """
                job {
                  name = stopped
                  compute { device = cpu, threads = 1 }
                  data { type = synthetic, size = 12, classes = 4, train-size = 3000, validation-size = 200, test-size = 200 }
                  space { type = convnet, depths = [1, 2, 3], widths = [8, 16], kernels = [1, 3], stem = 8 }
                  evaluator { type = one-shot, supernet { epochs = 4, batch-size = 32, warmup-epochs = 0, lr = 3e-3 } }
                  strategy { type = evolution, population = 8, generations = 3, parents = 3, mutations = 3, crossovers = 3 }
                  finalize { retrain { epochs = 1, batch-size = 32, warmup-epochs = 0 } }
                }
                """);
        Path run = dir.resolve("run");
        Path evaluator = run.resolve("evaluator");
        Path journal = run.resolve("trials.jsonl");
        Process supernet = start("run", job.toString(), "--out", run.toString());
        await(supernet, () -> Files.exists(evaluator.resolve("supernet.checkpoint.json")));
        Thread.sleep(100); // into the next epoch
        stop(supernet, "INT");
        assertThat(log(dir)).contains("stopped: " + run + " keeps every finished trial and epoch; give the same command with --resume "
                + "to continue");
        assertWholeCheckpoint(evaluator, "supernet");
        assertThat(lines(journal)).isZero();

        Process search = start("run", job.toString(), "--out", run.toString(), "--resume");
        await(search, () -> lines(journal) >= 3);
        stop(search, "TERM");
        byte[] bytes = Files.readAllBytes(journal);
        assertThat(bytes[bytes.length - 1]).as("the journal ends with a whole line").isEqualTo((byte) '\n');
        List<String> before = Files.readAllLines(journal);
        assertThat(Journal.read(journal)).hasSameSizeAs(before);

        Result resumed = creameryWithProgress("run", job.toString(), "--out", run.toString(), "--resume");
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("supernet: resumed after epoch 4 from its checkpoint")
                .contains(before.size() + " trial(s) already recorded");
        List<String> after = Files.readAllLines(journal);
        assertThat(after.subList(0, before.size())).containsExactlyElementsOf(before);
        assertThat(after).hasSizeGreaterThan(before.size());
        assertThat(run.resolve("result.json")).exists();
    }
}

package com.example.hillclimbing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves drop-in: the built distribution does not know the plugin; with its jar copied into
 * plugins/ the strategy is listed and runs in a job; a second copy of the jar is refused, naming
 * both jars.
 */
class DropInIT {
    @TempDir
    static Path work;

    static Path distribution;
    static Path jar;

    @BeforeAll
    static void copyDistribution() throws IOException {
        Path built = Path.of(System.getProperty("creamery.distribution"));
        assertThat(built.resolve("bin/creamery")).as("the distribution must be built first (mvn package)").exists();
        distribution = work.resolve("creamery");
        try (Stream<Path> files = Files.walk(built)) {
            for (Path source : files.toList()) {
                Path target = distribution.resolve(built.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        jar = Path.of(System.getProperty("plugin.jar"));
    }

    record Result(int status, String out, String err) {}

    static Result creamery(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(distribution.resolve("bin/creamery").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process process = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int status = process.waitFor();
        return new Result(status, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void pluginJoinsTheDistributionWhenDroppedIn() throws Exception {
        Path plugins = distribution.resolve("plugins");
        Files.deleteIfExists(plugins.resolve(jar.getFileName()));
        Result before = creamery("list", "strategy");
        assertThat(before.status()).as(before.err()).isZero();
        assertThat(before.out()).contains("evolution").doesNotContain("hill-climbing");

        Files.copy(jar, plugins.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Result after = creamery("list", "strategy");
        assertThat(after.status()).as(after.err()).isZero();
        assertThat(after.out()).containsPattern("hill-climbing\\s+" + jar.getFileName());

        Path job = Files.writeString(work.resolve("climb.conf"), """
                job {
                  compute { device = cpu, threads = 1 }
                  data { type = synthetic, size = 8, classes = 3, train-size = 192, validation-size = 64, test-size = 64, noise = 0.2 }
                  space { type = convnet, depths = [1, 2], widths = [4, 8], kernels = [1, 3], stem = 4 }
                  evaluator { type = penalized-accuracy, penalty-per-million = 100
                              evaluator { type = one-shot, supernet { epochs = 2, batch-size = 32, warmup-epochs = 0, lr = 3e-3 } } }
                  strategy { type = hill-climbing, steps = 3, neighbours = 2 }
                  finalize { retrain { epochs = 0 } }
                }
                """);
        Result run = creamery("run", job.toString(), "--out", work.resolve("runs/climb").toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("best architecture: depth=");
        assertThat(work.resolve("runs/climb/result.json")).exists();
        assertThat(Files.readString(work.resolve("runs/climb/job.conf"))).contains("hill-climbing");
        // The evaluator the runtime built by injection scored every trial.
        assertThat(Files.readString(work.resolve("runs/climb/trials.jsonl"))).contains("\"penalized-accuracy\"");
    }

    @Test
    void twoJarsClaimingOneNameAreRefusedNamingBoth() throws Exception {
        Path plugins = distribution.resolve("plugins");
        Files.copy(jar, plugins.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Path copy = plugins.resolve("another-hill-climbing.jar");
        Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
        try {
            Result result = creamery("list");
            assertThat(result.status()).isEqualTo(2);
            assertThat(result.err()).contains("HillClimbingPlugin").contains("two jars")
                    .contains(jar.getFileName().toString()).contains("another-hill-climbing.jar");
        } finally {
            Files.delete(copy);
        }
    }
}

package dev.creamery.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core of the distribution (lib/, plugins/) carries no Spark; Spark and the executor live in
 * engines/spark/ alone. Without that folder the distribution works and names where spark comes
 * from; with it, a job can ask for spark.
 */
class DistributionLayoutIT {
    private static final Path DIST = Path.of("target", "creamery").toAbsolutePath();
    private static final String JOB = """
            job {
              data { type = synthetic }
              space { type = convnet }
              evaluator { type = train }
              strategy { type = random }
            }
            """;

    @TempDir
    Path dir;

    record Result(int status, String output) {}

    private Result creamery(Path home, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(home.resolve("bin/creamery").toString()));
        command.addAll(List.of(args));
        Path log = dir.resolve("log-" + System.nanoTime());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Result(process.exitValue(), Files.readString(log));
    }

    @Test
    void theCoreHoldsNoSpark() throws IOException {
        try (Stream<Path> lib = Files.list(DIST.resolve("lib")); Stream<Path> plugins = Files.list(DIST.resolve("plugins"))) {
            for (Path jar : Stream.concat(lib, plugins).filter(p -> p.toString().endsWith(".jar")).toList()) {
                try (JarFile file = new JarFile(jar.toFile())) {
                    assertThat(file.stream().map(e -> e.getName()).filter(n -> n.startsWith("org/apache/spark/") || n.startsWith("scala/")))
                            .as(jar.getFileName().toString()).isEmpty();
                }
            }
        }
        assertThat(DIST.resolve("engines/spark")).isDirectoryContaining(p -> p.getFileName().toString().startsWith("creamery-engine-spark-"))
                .isDirectoryContaining(p -> p.getFileName().toString().startsWith("spark-core_2.13-"));
    }

    @Test
    void withoutItsEngineFolderTheDistributionWorksAndSaysWhereSparkComesFrom() throws Exception {
        Path bare = Files.createDirectories(dir.resolve("bare"));
        for (String part : List.of("bin", "lib", "plugins")) {
            Files.createSymbolicLink(bare.resolve(part), DIST.resolve(part));
        }
        Path job = Files.writeString(dir.resolve("job.conf"), JOB);

        Result list = creamery(bare, "list");
        assertThat(list.status()).as(list.output()).isZero();
        assertThat(list.output()).contains("in-process").doesNotContain("spark");
        Result spark = creamery(bare, "validate", job.toString(), "--set", "execution.type=spark");
        assertThat(spark.status()).as(spark.output()).isEqualTo(2);
        assertThat(spark.output()).contains("job.execution.type - unknown trial executor 'spark'; available: in-process; executors other "
                + "than in-process come in optional modules: spark is the distribution's engines/spark/ folder (docs/distributed.md)");

        Result full = creamery(DIST, "validate", job.toString(), "--set", "execution.type=spark", "--set", "execution.master=\"local[2]\"");
        assertThat(full.status()).as(full.output()).isZero();
        assertThat(creamery(DIST, "list").output()).containsPattern("execution +spark");
    }
}

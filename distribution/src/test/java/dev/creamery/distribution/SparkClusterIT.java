package dev.creamery.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's {@code bin/creamery} drives a real Spark standalone cluster on 127.0.0.1
 * (Spark's own Master and Worker classes in child JVMs, their Spark being the distribution's
 * {@code engines/spark/} folder without Creamery's jar, which the driver ships with the rest of the
 * job's code): one worker is killed with SIGKILL in the middle of an evolution search with the train
 * evaluator, another starts, and the search completes with every trial journaled exactly once and
 * the same trials and best architecture as the same job run in-process.
 */
@Tag("slow")
class SparkClusterIT {
    /** Fashion-MNIST-sized synthetic data (28x28 grey, 10 classes); each trial trains a few seconds. */
    private static final String JOB = """
            job {
              name = evolve
              seed = 11
              compute { device = cpu, threads = 1 }
              data { type = synthetic, size = 28, classes = 10, train-size = 4096, validation-size = 512, test-size = 64 }
              space { type = convnet, depths = [1, 2], widths = [8, 16], kernels = [3, 5], stem = 8 }
              evaluator { type = train, training { epochs = 1, batch-size = 64, lr = 3e-3, warmup-epochs = 0 } }
              strategy { type = evolution, population = 4, generations = 2, parents = 2, mutations = 2, crossovers = 1 }
              finalize { retrain { epochs = 0 } }
            }
            """;

    private static final Path DIST = Path.of("target", "creamery").toAbsolutePath();

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopCluster() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void aSearchSurvivesAKilledWorkerWithEveryTrialJournaledOnce() throws Exception {
        Path job = Files.writeString(dir.resolve("evolve.conf"), JOB);
        Process inProcess = creamery(dir.resolve("in-process.log"), "run", job.toString(), "--out", dir.resolve("in-process").toString());
        assertThat(inProcess.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(inProcess.exitValue()).as(Files.readString(dir.resolve("in-process.log"))).isZero();

        Path sparkHome = sparkHome();
        int port = freePort();
        String master = "spark://127.0.0.1:" + port;
        spark(sparkHome, "master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", String.valueOf(port),
                "--webui-port", String.valueOf(freePort()));
        Process first = worker(sparkHome, master, "worker-1");
        worker(sparkHome, master, "worker-2");

        Path run = dir.resolve("spark");
        Path log = dir.resolve("spark.log");
        Process driver = creamery(log, "run", job.toString(), "--out", run.toString(), "--set", "execution.type=spark",
                "--set", "execution.master=\"" + master + "\"",
                "--set", "execution.conf { spark.driver.host = 127.0.0.1, spark.executor.memory = 1g }");
        // Mid-generation: with two one-core executors, each is running a trial of the second generation.
        awaitTrials(run.resolve("trials.jsonl"), 5, driver, log);
        first.destroyForcibly();
        first.waitFor(30, TimeUnit.SECONDS);
        worker(sparkHome, master, "worker-3");

        assertThat(driver.waitFor(6, TimeUnit.MINUTES)).as("the search ends").isTrue();
        String output = Files.readString(log);
        assertThat(driver.exitValue()).as(output).isZero();
        assertThat(output).contains("spark: " + master).containsPattern("spark: executor \\d+ lost")
                .containsPattern("spark: task \\d+ \\(attempt 1\\) on executor \\d+ ended: .*; Spark runs it again");

        Map<String, String> expected = journal(dir.resolve("in-process"));
        assertThat(expected).hasSizeGreaterThanOrEqualTo(8);
        assertThat(journal(run)).isEqualTo(expected);
        assertThat(best(run)).isEqualTo(best(dir.resolve("in-process")));
    }

    private Process creamery(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(DIST.resolve("bin/creamery").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("CREAMERY_JAVA_OPTS", "-Xmx1g");
        Process process = builder.start();
        started.add(process);
        return process;
    }

    /** A Spark installation as a cluster has one: the engine folder's jars without Creamery's, and a logging provider. */
    private Path sparkHome() throws IOException {
        Path home = dir.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        try (Stream<Path> engine = Files.list(DIST.resolve("engines/spark")); Stream<Path> lib = Files.list(DIST.resolve("lib"))) {
            for (Path jar : Stream.concat(engine.filter(j -> !j.getFileName().toString().startsWith("creamery-")),
                    lib.filter(j -> j.getFileName().toString().startsWith("slf4j-simple"))).toList()) {
                Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar);
            }
        }
        // Spark's launcher builds executor commands from SPARK_HOME/jars when it is a release.
        Files.writeString(home.resolve("RELEASE"), "Spark for a Creamery test\n");
        return home;
    }

    private Process worker(Path sparkHome, String master, String name) throws IOException {
        return spark(sparkHome, name, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1", "--memory", "2g",
                "--webui-port", String.valueOf(freePort()), "--work-dir", dir.resolve(name).toString(), master);
    }

    private Process spark(Path sparkHome, String name, String main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", sparkHome.resolve("jars") + File.separator + "*", main));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        builder.environment().put("SPARK_HOME", sparkHome.toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private static void awaitTrials(Path journal, int count, Process driver, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (!Files.exists(journal) || Files.readAllLines(journal).size() < count) {
            assertThat(driver.isAlive()).as(() -> read(log)).isTrue();
            assertThat(System.nanoTime()).as("waited too long for " + count + " trials").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** @return each journaled architecture's status and metrics, by canonical form; fails on an architecture journaled twice */
    private static Map<String, String> journal(Path run) throws IOException {
        Map<String, String> byArchitecture = new TreeMap<>();
        Set<Integer> numbers = new HashSet<>();
        for (String line : Files.readAllLines(run.resolve("trials.jsonl"))) {
            JsonObject trial = JsonParser.parseString(line).getAsJsonObject();
            assertThat(numbers.add(trial.get("number").getAsInt())).as("trial number journaled twice: " + line).isTrue();
            String previous = byArchitecture.put(trial.get("canonical").getAsString(),
                    trial.get("status").getAsString() + " " + trial.get("metrics"));
            assertThat(previous).as("journaled twice: " + line).isNull();
        }
        assertThat(numbers).hasSize(byArchitecture.size()).allSatisfy(n -> assertThat(n).isBetween(0, numbers.size() - 1));
        return byArchitecture;
    }

    private static String best(Path run) throws IOException {
        return JsonParser.parseString(Files.readString(run.resolve("result.json"))).getAsJsonObject().getAsJsonObject("best")
                .get("architecture").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

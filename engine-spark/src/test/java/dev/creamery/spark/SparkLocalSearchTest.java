package dev.creamery.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.google.gson.JsonParser;
import dev.creamery.runtime.cli.Creamery;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same job file runs its evaluations as Spark tasks with one block changed: in {@code local[2]}
 * it evaluates the same architectures to the same metrics as in-process, journals each once, and
 * a candidate that fails is recorded once as failed, not retried.
 */
class SparkLocalSearchTest {
    /** An evolution search with the train evaluator: every trial trains a small network from scratch. */
    static final String SEARCH = """
            job {
              name = evolve
              seed = 5
              compute { device = cpu, threads = 1 }
              data { type = synthetic, size = 8, classes = 4, train-size = 256, validation-size = 512, test-size = 64 }
              space { type = convnet, depths = [1, 2], widths = [4, 8], kernels = [1, 3], stem = 4 }
              evaluator { type = train, training { epochs = 1, batch-size = 32, lr = 3e-3, warmup-epochs = 0 } }
              strategy { type = evolution, population = 4, generations = 3, parents = 2, mutations = 2, crossovers = 1 }
            }
            """;

    /**
     * A search of the search space: the one-shot evaluator trains a supernet, then refines it for
     * each phase; workers load each checkpoint instead of training.
     */
    static final String SPACE_SEARCH = """
            job {
              name = s3
              seed = 4
              compute { device = cpu, threads = 1 }
              data { type = synthetic, size = 8, classes = 4, train-size = 256, validation-size = 128, test-size = 64 }
              space {
                type = autoformer, preset = tiny-28, patch-size = 2, head-dim = 8, max-relative-position = 3
                embed-dims = [8, 16, 24, 32], depths = [1, 2, 3], mlp-ratios = [1, 2], num-heads = [1, 2], drop-path-rate = 0
              }
              evaluator {
                type = one-shot
                supernet { epochs = 1, batch-size = 32, lr = 3e-3, warmup-epochs = 0 }
                refine { epochs = 1, batch-size = 32, lr = 1e-3 }
              }
              strategy {
                type = space-evolution, steps = 1, window = 3, samples = 2, top = 1
                inner { type = evolution, population = 4, generations = 1, parents = 2, mutations = 2, crossovers = 1 }
              }
              finalize { test = false, export = false }
            }
            """;

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {}

    static synchronized Run creamery(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        System.setErr(new PrintStream(progress, true, StandardCharsets.UTF_8));
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = Creamery.execute(args, new PrintWriter(out), new PrintWriter(err));
            return new Run(status, out.toString(), progress.toString(StandardCharsets.UTF_8) + err);
        } finally {
            System.setErr(saved);
        }
    }

    /** @return each journaled architecture's metrics (as their JSON text) and status, by canonical form */
    static Map<String, String> journal(Path run) throws Exception {
        List<JsonObject> lines = Files.readAllLines(run.resolve("trials.jsonl")).stream().map(l -> JsonParser.parseString(l).getAsJsonObject())
                .toList();
        Map<String, String> byArchitecture = new TreeMap<>();
        for (JsonObject line : lines) {
            String architecture = (line.has("phase") ? line.get("phase").getAsString() + " " : "") + line.get("canonical").getAsString();
            String outcome = line.has("metrics") ? line.get("metrics").toString() : line.get("message").getAsString();
            String previous = byArchitecture.put(architecture, line.get("status").getAsString() + " " + outcome);
            assertThat(previous).as("journaled twice: " + architecture).isNull();
        }
        return byArchitecture;
    }

    static String best(Path run) throws Exception {
        JsonObject result = JsonParser.parseString(Files.readString(run.resolve("result.json"))).getAsJsonObject();
        return result.getAsJsonObject("best").get("architecture").toString();
    }

    /** Runs the job in-process (into {@code in-process/}), then in {@code local[2]} (into {@code spark/}); both must succeed. */
    Run runInProcessThenOnSpark(Path job) {
        Run inProcess = creamery("run", job.toString(), "--out", dir.resolve("in-process").toString());
        assertThat(inProcess.status()).as(inProcess.err()).isZero();
        Run spark = creamery("run", job.toString(), "--out", dir.resolve("spark").toString(), "--set", "execution.type=spark",
                "--set", "execution.master=\"local[2]\"");
        assertThat(spark.status()).as(spark.err()).isZero();
        return spark;
    }

    @Test
    void localSparkEvaluatesWhatInProcessEvaluates() throws Exception {
        Path job = Files.writeString(dir.resolve("evolve.conf"), SEARCH);
        Run spark = runInProcessThenOnSpark(job);

        Map<String, String> expected = journal(dir.resolve("in-process"));
        assertThat(expected).hasSizeGreaterThan(6);
        assertThat(journal(dir.resolve("spark"))).isEqualTo(expected);
        assertThat(best(dir.resolve("spark"))).isEqualTo(best(dir.resolve("in-process")));
        assertThat(spark.err()).contains("spark: local[2], 2 task slot(s)").containsPattern("spark tasks: 4/4 tasks .* \\d running, 0 retried done");
        Config recorded = ConfigFactory.parseFile(dir.resolve("spark/job.conf").toFile());
        assertThat(recorded.getString("job.execution.type")).isEqualTo("spark");
        assertThat(recorded.getString("job.execution.master")).isEqualTo("local[2]");
    }

    @Test
    void phasesOfASupernetReachTheWorkersAsCheckpoints() throws Exception {
        Path job = Files.writeString(dir.resolve("s3.conf"), SPACE_SEARCH);
        Run spark = runInProcessThenOnSpark(job);

        Map<String, String> expected = journal(dir.resolve("in-process"));
        assertThat(expected.keySet()).anyMatch(phase -> phase.startsWith("space-1 ")).anyMatch(phase -> phase.startsWith("final "));
        assertThat(journal(dir.resolve("spark"))).isEqualTo(expected);
        assertThat(best(dir.resolve("spark"))).isEqualTo(best(dir.resolve("in-process")));
        // The supernet and its refinements are trained once, on the driver; workers resume each from its checkpoint.
        assertThat(spark.err()).contains("supernet: resumed after epoch 1").contains("supernet-2: resumed after epoch 1");
    }

    @Test
    void aCandidateThatFailsIsRecordedOnceAndNotRetried() throws Exception {
        // A learning rate this large makes every loss overflow: each trial fails, deterministically.
        Path job = Files.writeString(dir.resolve("diverge.conf"), SEARCH.replace("lr = 3e-3", "lr = 1e30")
                .replace("type = evolution, population = 4, generations = 3, parents = 2, mutations = 2, crossovers = 1",
                        "type = random, trials = 4"));
        // local[2,4]: Spark would run a failed task up to 4 times; a failed evaluation is no failed task.
        Run spark = creamery("run", job.toString(), "--out", dir.resolve("spark").toString(), "--set", "execution.type=spark",
                "--set", "execution.master=\"local[2,4]\"");

        assertThat(spark.status()).as(spark.err()).isEqualTo(Creamery.FAILED);
        assertThat(spark.err()).contains("no trial succeeded (4 tried)").contains(" 0 retried");
        Map<String, String> trials = journal(dir.resolve("spark"));
        assertThat(trials).hasSize(4);
        assertThat(trials.values()).allSatisfy(line -> assertThat(line).startsWith("failed"));
        assertThat(trials.values().stream().collect(Collectors.toSet())).hasSize(1);
    }
}

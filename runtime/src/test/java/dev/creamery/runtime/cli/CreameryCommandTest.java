package dev.creamery.runtime.cli;

import static dev.creamery.runtime.Commands.creamery;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.creamery.runtime.Commands.Result;
import dev.creamery.runtime.Jobs;
import dev.creamery.runtime.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreameryCommandTest {
    @TempDir
    static Path dir;

    static Path run;

    @BeforeAll
    static void runATinySearch() {
        Path job = Jobs.write(dir, "tiny.conf", Jobs.TINY_SEARCH);
        run = dir.resolve("runs/tiny");
        Result result = creamery("run", job.toString(), "--out", run.toString());
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).contains("best architecture: depth=").contains("test accuracy");
    }

    @Test
    void runWritesTheDocumentedResult() throws Exception {
        JsonObject result = JsonParser.parseString(Files.readString(run.resolve("result.json"))).getAsJsonObject();
        JsonObject best = result.getAsJsonObject("best");
        assertThat(best.get("architecture").isJsonObject()).isTrue();
        assertThat(best.get("params").getAsLong()).isPositive();
        assertThat(best.get("flops").getAsLong()).isPositive();
        assertThat(best.get("validation_accuracy").getAsDouble()).isBetween(0.0, 1.0);
        assertThat(best.get("test_accuracy").getAsDouble()).isGreaterThan(0.25);
        assertThat(result.get("trials").getAsInt()).isEqualTo(Files.readAllLines(run.resolve("trials.jsonl")).size());
        assertThat(result.get("wall_seconds").getAsDouble()).isPositive();
        assertThat(run.resolve("job.conf")).content().contains("evolution");
        assertThat(Files.size(run.resolve("report.png"))).isGreaterThan(5000);
    }

    @Test
    void everyCommandAnswersHelpAndVersion() {
        for (String command : new String[] {"list", "describe", "validate", "run", "train", "save-logits", "models", "profile",
            "predict", "compare"}) {
            Result help = creamery(command, "--help");
            assertThat(help.status()).as(command + " --help: " + help.err()).isZero();
            assertThat(help.out()).as(command).contains("Usage: creamery " + command).contains("-h, --help").contains("-V, --version");
        }
        Result version = creamery("models", "--version");
        assertThat(version.status()).isZero();
        assertThat(version.out()).startsWith("creamery ").contains("engine: PyTorch 2.7.1").contains("convolutions: ");
    }

    @Test
    void listDescribeAndValidate() {
        assertThat(creamery("list", "strategy").out()).contains("evolution").contains("random").doesNotContain("convnet");
        assertThat(creamery("list", "bogus")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).contains("unknown kind 'bogus'");
        });
        Result describe = creamery("describe", "fashion-mnist");
        assertThat(describe.out()).contains("folder").contains("/usr/share/datasets/fashion-mnist").contains("# Where the IDX files are");
        assertThat(creamery("describe", "evolutoin").err()).contains("did you mean 'evolution'");
        Result valid = creamery("validate", dir.resolve("tiny.conf").toString(), "--set", "strategy.population=6");
        assertThat(valid.status()).isZero();
        assertThat(valid.out()).contains("population=6").contains("is valid (search job 'tiny')");
        Result unsatisfiable = creamery("validate", dir.resolve("tiny.conf").toString(), "--set", "strategy.constraints.params=[0, 10]");
        assertThat(unsatisfiable.status()).isEqualTo(2);
        assertThat(unsatisfiable.err()).contains("no member of the space meets the params limit [0, 10]").doesNotContain("is valid");
    }

    @Test
    void invalidJobsExitWithStatusTwoListingEveryProblem() {
        Path bad = Jobs.write(dir, "bad.conf", Jobs.TINY_SEARCH.replace("type = evolution", "type = evolutoin")
                .replace("type = synthetic,", "type = synthetic, nosie = 0.1,"));
        Result result = creamery("run", bad.toString(), "--out", dir.resolve("runs/bad").toString());
        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains("2 problems").contains("unknown search strategy 'evolutoin'")
                .contains("did you mean 'noise'");
        assertThat(dir.resolve("runs/bad")).doesNotExist();
        assertThat(creamery("run", dir.resolve("missing.conf").toString()).status()).isEqualTo(2);
        assertThat(creamery("run").status()).isEqualTo(2);
    }

    @Test
    void aBestThatNothingTrainedIsNeitherScoredNorExported() throws Exception {
        Path job = Jobs.write(dir, "untrained.conf", """
                job {
                  seed = 3
                  compute { device = cpu, threads = 1 }
                  data { type = synthetic, size = 8, classes = 4, train-size = 128, validation-size = 64, test-size = 64 }
                  space { type = convnet, depths = [1], widths = [4, 8], kernels = [1], stem = 4 }
                  evaluator { type = train, training { epochs = 1, batch-size = 32, warmup-epochs = 0 } }
                  strategy { type = random, trials = 2 }
                }
                """);
        Path out = dir.resolve("runs/untrained");
        Result result = creamery("run", job.toString(), "--out", out.toString());
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).contains("validation accuracy not measured, test accuracy not measured");
        JsonObject best = JsonParser.parseString(Files.readString(out.resolve("result.json"))).getAsJsonObject().getAsJsonObject("best");
        assertThat(best.has("validation_accuracy")).isFalse();
        assertThat(best.get("search_accuracy").getAsDouble()).isBetween(0.0, 1.0);
        assertThat(out.resolve("model.safetensors")).doesNotExist();
    }

    @Test
    void rerunningIntoAnExistingRunIsRefused() {
        Result again = creamery("run", dir.resolve("tiny.conf").toString(), "--out", run.toString());
        assertThat(again.status()).isEqualTo(2);
        assertThat(again.err()).contains("already holds a run");
    }

    @Test
    void predictRoundTripsAnExportedModel() throws Exception {
        Path input = dir.resolve("x.npy");
        try (NDManager manager = NDManager.newBaseManager()) {
            Npy.write(input, manager.randomNormal(new ai.djl.ndarray.types.Shape(5, 1, 8, 8)));
        }
        Path output = dir.resolve("y.npy");
        Result predict = creamery("predict", "--model", run.resolve("model.json").toString(), "--weights",
                run.resolve("model.safetensors").toString(), "--input", input.toString(), "--output", output.toString());
        assertThat(predict.status()).as(predict.err()).isZero();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = Npy.read(output, manager);
            assertThat(logits.getShape().getShape()).containsExactly(5, 4);
            assertThat(logits.isNaN().any().getBoolean()).isFalse();
        }
        Result again = creamery("predict", "--model", run.resolve("model.json").toString(), "--weights",
                run.resolve("model.safetensors").toString(), "--input", input.toString(), "--output", output.toString());
        assertThat(again.status()).isEqualTo(2);
        assertThat(again.err()).contains("already exists");
    }

    @Test
    void predictExplainsWrongInputsAndCheckpoints() throws Exception {
        Path wrong = dir.resolve("wrong.npy");
        try (NDManager manager = NDManager.newBaseManager()) {
            Npy.write(wrong, manager.randomNormal(new ai.djl.ndarray.types.Shape(2, 3, 8, 8)));
        }
        Result shape = creamery("predict", "--model", run.resolve("model.json").toString(), "--weights",
                run.resolve("model.safetensors").toString(), "--input", wrong.toString(), "--output", dir.resolve("o.npy").toString());
        assertThat(shape.status()).isEqualTo(2);
        assertThat(shape.err()).contains("expected a float32 array of shape (N, 1, 8, 8)");
        Path weights = dir.resolve("weights.safetensors");
        Files.copy(run.resolve("model.safetensors"), weights);
        Path otherModel = Files.writeString(dir.resolve("other.json"), Files.readString(run.resolve("model.json"))
                .replaceFirst("\"stem\": 4", "\"stem\": 6"));
        Result mismatch = creamery("predict", "--model", otherModel.toString(), "--weights", weights.toString(), "--input",
                dir.resolve("x.npy").toString(), "--output", dir.resolve("o2.npy").toString());
        assertThat(mismatch.status()).isEqualTo(2);
        assertThat(mismatch.err()).contains("does not match the model").contains("stem_weight has shape");
        Path notSafetensors = Files.writeString(dir.resolve("junk.safetensors"), "not a checkpoint at all");
        Result junk = creamery("predict", "--model", run.resolve("model.json").toString(), "--weights", notSafetensors.toString(),
                "--input", dir.resolve("x.npy").toString(), "--output", dir.resolve("o3.npy").toString());
        assertThat(junk.status()).isNotZero();
        assertThat(junk.err()).contains("junk.safetensors");
    }

    @Test
    void profileReportsParamsFlopsAndSpeed() {
        Result profile = creamery("profile", run.resolve("model.json").toString(), "--json", "--batch", "4", "--repeats", "2",
                "--mode", "both");
        assertThat(profile.status()).as(profile.err()).isZero();
        JsonObject json = JsonParser.parseString(profile.out()).getAsJsonObject();
        assertThat(json.get("model").getAsString()).endsWith("model.json");
        assertThat(json.get("params").getAsLong()).isPositive();
        assertThat(json.get("flops").getAsLong()).isPositive();
        assertThat(json.getAsJsonArray("measurements")).hasSize(2);
        assertThat(json.get("matmul_ceiling_flops_per_second").getAsDouble()).isGreaterThan(1e8);
        assertThat(creamery("profile", "no-such-model").err()).contains("unknown model 'no-such-model'");
    }

    @Test
    void profileOfASearchJobTimesItsSupernetOverSampledMembers() {
        Result profile = creamery("profile", dir.resolve("tiny.conf").toString(), "--json", "--batch", "8", "--repeats", "1",
                "--mode", "both");
        assertThat(profile.status()).as(profile.err()).isZero();
        JsonObject json = JsonParser.parseString(profile.out()).getAsJsonObject();
        assertThat(json.get("model").getAsString()).endsWith("tiny.conf supernet");
        assertThat(json.get("flops").getAsLong()).isPositive();
        assertThat(json.get("params").getAsLong()).isPositive();
        assertThat(json.getAsJsonArray("measurements")).hasSize(2).allSatisfy(m -> {
            assertThat(m.getAsJsonObject().get("images_per_second").getAsDouble()).isPositive();
            assertThat(m.getAsJsonObject().get("fraction_of_ceiling").getAsDouble()).isBetween(0.0, 2.0);
        });
    }

    @Test
    void compareRanksTheArchitecturesTwoRunsShare() throws Exception {
        Result same = creamery("compare", run.toString(), run.resolve("trials.jsonl").toString(), "--json");
        assertThat(same.status()).as(same.err()).isZero();
        JsonObject json = JsonParser.parseString(same.out()).getAsJsonObject();
        assertThat(json.get("kendall_tau").getAsDouble()).isEqualTo(1.0);
        assertThat(json.get("n").getAsInt()).isGreaterThan(2);

        // The same trials with every accuracy turned upside down rank in exactly the opposite order.
        Path flipped = dir.resolve("flipped.jsonl");
        StringBuilder lines = new StringBuilder();
        for (String line : Files.readAllLines(run.resolve("trials.jsonl"))) {
            JsonObject trial = JsonParser.parseString(line).getAsJsonObject();
            JsonObject metrics = trial.getAsJsonObject("metrics");
            metrics.addProperty("accuracy", 1 - metrics.get("accuracy").getAsDouble());
            lines.append(trial).append('\n');
        }
        Files.writeString(flipped, lines);
        Result opposite = creamery("compare", run.toString(), flipped.toString());
        assertThat(opposite.status()).as(opposite.err()).isZero();
        assertThat(opposite.out()).contains("Kendall tau -1.000").contains("Spearman rho -1.000");

        Result missing = creamery("compare", run.toString(), dir.resolve("nowhere").toString());
        assertThat(missing.status()).isEqualTo(Creamery.USAGE);
        assertThat(missing.err()).contains("nowhere").contains("trials.jsonl");
    }
}

package dev.creamery.autoformer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.creamery.runtime.job.JobLoader;
import dev.creamery.runtime.job.JobRunner;
import dev.creamery.runtime.job.LoadedJob;
import dev.creamery.runtime.job.RunFolder;
import dev.creamery.wiring.ComponentRegistry;
import dev.creamery.testkit.RecordingProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole AutoFormer search in the runtime, on learnable synthetic data: supernet training by uniform
 * sampling, evolution under a parameter limit, extraction and a short retrain of the winner.
 */
@Tag("slow")
class AutoFormerSearchTest {
    private static final int POPULATION = 8;
    private static final int GENERATIONS = 3;

    @TempDir
    Path dir;

    @Test
    void evolutionImprovesOverGenerationsAndTheWinnerIsExported() throws Exception {
        Path file = Files.writeString(dir.resolve("search.conf"), """
                job {
                  name = search
                  seed = 5
                  compute { device = cpu, threads = 1 }
                  data { type = synthetic, size = 8, classes = 4, train-size = 1024, validation-size = 256, test-size = 256 }
                  space {
                    type = autoformer, preset = tiny-28, patch-size = 2, head-dim = 8, max-relative-position = 3
                    embed-dims = [16, 24, 32], depths = [1, 2], mlp-ratios = [1, 2], num-heads = [1, 2], drop-path-rate = 0
                  }
                  evaluator { type = one-shot, supernet { epochs = 4, batch-size = 32, lr = 3e-3, warmup-epochs = 0.2 } }
                  strategy {
                    type = evolution, population = %d, generations = %d, parents = 3, mutations = 4, crossovers = 2
                    constraints { params = [0, 20k] }
                  }
                  finalize { retrain { epochs = 2, batch-size = 32, lr = 1e-3, warmup-epochs = 0 } }
                }
                """.formatted(POPULATION, GENERATIONS));
        LoadedJob job = new JobLoader(ComponentRegistry.load(getClass().getClassLoader())).load(file, List.of(), JobLoader.Purpose.SEARCH);
        JsonObject result = new JobRunner(new RecordingProgress()).run(job, dir.resolve("run"), RunFolder.Mode.NEW).toJson();

        List<JsonObject> trials = Files.readAllLines(dir.resolve("run/trials.jsonl")).stream()
                .map(line -> JsonParser.parseString(line).getAsJsonObject()).toList();
        assertThat(trials).hasSize(POPULATION * (GENERATIONS + 1));
        assertThat(trials).allSatisfy(t -> assertThat(t.get("params").getAsLong()).isLessThanOrEqualTo(20_000));
        double first = meanAccuracy(trials.subList(0, POPULATION));
        double last = meanAccuracy(trials.subList(trials.size() - POPULATION, trials.size()));
        assertThat(last).as("mean validation accuracy of the last generation vs. the random first").isGreaterThan(first);

        JsonObject best = result.getAsJsonObject("best");
        assertThat(best.get("params").getAsLong()).isLessThanOrEqualTo(20_000);
        assertThat(best.get("test_accuracy").getAsDouble()).isGreaterThan(0.25 + 0.2);
        assertThat(dir.resolve("run/model.safetensors")).isNotEmptyFile();
    }

    private static double meanAccuracy(List<JsonObject> trials) {
        return trials.stream().mapToDouble(t -> t.getAsJsonObject("metrics").get("accuracy").getAsDouble()).average().orElseThrow();
    }
}

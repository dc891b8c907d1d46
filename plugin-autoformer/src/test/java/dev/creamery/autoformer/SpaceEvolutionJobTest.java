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
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole search of the search space in the runtime: the supernet trains on the whole space, each
 * step refines it on the current window and journals its trials as a phase, the inner evolution
 * searches the last window; a run cut short in the final phase resumes without evaluating again.
 */
@Tag("slow")
class SpaceEvolutionJobTest {
    @TempDir
    Path dir;

    private static final String JOB = """
            job {
              name = s3-search
              seed = 11
              compute { device = cpu, threads = 1 }
              data { type = synthetic, size = 8, classes = 4, train-size = 512, validation-size = 128, test-size = 128 }
              space {
                type = autoformer, preset = tiny-28, patch-size = 2, head-dim = 8, max-relative-position = 3
                embed-dims = [8, 16, 24, 32], depths = [1, 2, 3], mlp-ratios = [1, 2], num-heads = [1, 2], drop-path-rate = 0
              }
              evaluator {
                type = one-shot
                supernet { epochs = 2, batch-size = 32, lr = 3e-3, warmup-epochs = 0 }
                refine { epochs = 1, batch-size = 32, lr = 1e-3 }
              }
              strategy {
                type = space-evolution, steps = 1, window = 3, samples = 2, top = 1
                inner { type = evolution, population = 4, generations = 1, parents = 2, mutations = 2, crossovers = 1 }
              }
              finalize { retrain { epochs = 1, batch-size = 32, warmup-epochs = 0 } }
            }
            """;

    @Test
    void stepsArePhasesTheFinalSearchStaysInTheLastWindowAndAResumeRedoesNothing() throws Exception {
        Path file = Files.writeString(dir.resolve("s3.conf"), JOB);
        LoadedJob job = new JobLoader(ComponentRegistry.load(getClass().getClassLoader())).load(file, List.of(), JobLoader.Purpose.SEARCH);
        Path run = dir.resolve("run");
        JsonObject result = new JobRunner(new RecordingProgress()).run(job, run, RunFolder.Mode.NEW).toJson();

        List<String> lines = Files.readAllLines(run.resolve("trials.jsonl"));
        List<JsonObject> trials = lines.stream().map(line -> JsonParser.parseString(line).getAsJsonObject()).toList();
        assertThat(trials).extracting(t -> t.get("phase").getAsString()).containsOnly("space-1", "final");
        List<JsonObject> step = trials.stream().filter(t -> t.get("phase").getAsString().equals("space-1")).toList();
        List<JsonObject> last = trials.stream().filter(t -> t.get("phase").getAsString().equals("final")).toList();
        // The first window is three neighbouring candidates around the middle of each list.
        assertThat(values(step, "embed_dim")).isSubsetOf(8, 16, 24);
        // One step shifts the window by one candidate or drops its worst choice.
        Set<Integer> embeds = values(last, "embed_dim");
        assertThat(List.of(Set.of(8, 16, 24), Set.of(16, 24, 32))).anySatisfy(window -> assertThat(window).containsAll(embeds));
        assertThat(last).hasSizeGreaterThanOrEqualTo(4);
        // Trial numbers run on across phases.
        assertThat(trials).extracting(t -> t.get("number").getAsInt()).containsExactlyElementsOf(
                IntStream.range(0, trials.size()).boxed().toList());
        assertThat(run.resolve("evaluator/supernet-2.checkpoint.json")).exists();
        assertThat(result.getAsJsonObject("best").get("test_accuracy").getAsDouble()).isGreaterThan(0.25);

        // Cut the journal inside the final phase, as a kill would, and resume.
        int kept = step.size() + 2;
        Files.writeString(run.resolve("trials.jsonl"), String.join("\n", lines.subList(0, kept)) + "\n{\"number\":");
        for (String output : List.of("result.json", "model.safetensors", "model.json", "report.png")) {
            Files.deleteIfExists(run.resolve(output));
        }
        RecordingProgress resumed = new RecordingProgress();
        JsonObject again = new JobRunner(resumed).run(job, run, RunFolder.Mode.RESUME).toJson();
        assertThat(resumed.trialsEvaluated()).isEqualTo(lines.size() - kept);
        assertThat(resumed.notes()).anyMatch(n -> n.contains("supernet-2: resumed after epoch 1"));
        assertThat(Files.readAllLines(run.resolve("trials.jsonl"))).hasSize(lines.size());
        assertThat(again.get("best")).isEqualTo(result.get("best"));
    }

    private static Set<Integer> values(List<JsonObject> trials, String dimension) {
        return trials.stream().map(t -> t.getAsJsonObject("architecture").get(dimension).getAsInt()).collect(Collectors.toSet());
    }
}

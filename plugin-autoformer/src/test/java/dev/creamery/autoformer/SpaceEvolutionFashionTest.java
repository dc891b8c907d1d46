package dev.creamery.autoformer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.creamery.runtime.job.JobLoader;
import dev.creamery.runtime.job.JobRunner;
import dev.creamery.runtime.job.LoadedJob;
import dev.creamery.runtime.job.RunFolder;
import dev.creamery.testkit.RecordingProgress;
import dev.creamery.wiring.ComponentRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example job {@code examples/s3-fashion.conf} on the real Fashion-MNIST, as a user runs it, on
 * fewer images and epochs: two steps of a window of 3 over the quick start's space under a 600k
 * parameter limit. Every step's window keeps members under the limit, the final space is still one
 * worth searching, and the job finishes with a tested model under the limit.
 */
@Tag("slow")
class SpaceEvolutionFashionTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "s3-fashion.conf");
    private static final long LIMIT = 600_000;

    @TempDir
    Path dir;

    @Test
    void theExampleEvolvesTheSpaceUnderTheLimitAndFinishesWithATestedModel() throws Exception {
        // One thread: two engine threads on a machine busy with other work wait on each other.
        LoadedJob job = new JobLoader(ComponentRegistry.load(getClass().getClassLoader())).load(EXAMPLE, List.of(
                "compute.threads=1", "data.train-size=6000", "data.validation-size=1000", "data.test-size=2000",
                "evaluator.supernet.epochs=1", "finalize.retrain.epochs=1"), JobLoader.Purpose.SEARCH);
        requireFashionMnist(Path.of(job.effective().getString("job.data.folder")));
        RecordingProgress progress = new RecordingProgress();
        Path run = dir.resolve("run");
        JsonObject result = new JobRunner(progress).run(job, run, RunFolder.Mode.NEW).toJson();

        List<JsonObject> trials = Files.readAllLines(run.resolve("trials.jsonl")).stream()
                .map(line -> JsonParser.parseString(line).getAsJsonObject()).toList();
        assertThat(trials).extracting(t -> t.get("phase").getAsString()).containsOnly("space-1", "space-2", "final");
        assertThat(trials).allSatisfy(t -> assertThat(t.get("params").getAsLong()).isLessThanOrEqualTo(LIMIT));
        // Step 1 scores the 3 choices of each of the 4 dimensions with 4 samples each.
        assertThat(trials).filteredOn(t -> t.get("phase").getAsString().equals("space-1")).hasSize(4 * 3 * 4);

        // The first space is the whole of tiny-28; min-window keeps two choices of every dimension to
        // the end, but for a choice without members under the limit: at least 2^6 + 2^8 = 320 members
        // (one embedding width, depths 3 and 4, two MLP ratios and two head counts per layer).
        assertThat(members(progress, "space-evolution: space-1 is ")).isEqualTo(199_017);
        assertThat(members(progress, "space-evolution: searching the final space, ")).isBetween(320L, 2_560L);
        List<JsonObject> searched = trials.stream().filter(t -> t.get("phase").getAsString().equals("final")).toList();
        assertThat(searched).hasSizeGreaterThanOrEqualTo(8);
        for (String dimension : List.of("embed_dim", "depth")) {
            assertThat(values(searched, dimension)).hasSizeLessThanOrEqualTo(2);
        }

        JsonObject best = result.getAsJsonObject("best");
        assertThat(best.get("params").getAsLong()).isLessThanOrEqualTo(LIMIT);
        assertThat(best.get("test_accuracy").getAsDouble()).isGreaterThan(0.6);
        assertThat(run.resolve("model.safetensors")).exists();
    }

    /** The member count of the phase whose note starts with the prefix. */
    private static long members(RecordingProgress progress, String prefix) {
        Pattern count = Pattern.compile(Pattern.quote(prefix) + "([0-9,]+) members");
        for (String note : progress.notes()) {
            Matcher matcher = count.matcher(note);
            if (matcher.lookingAt()) {
                return Long.parseLong(matcher.group(1).replace(",", ""));
            }
        }
        throw new AssertionError("no note starts with '" + prefix + "': " + progress.notes());
    }

    private static Set<String> values(List<JsonObject> trials, String dimension) {
        return trials.stream().map(t -> t.getAsJsonObject("architecture").get(dimension).toString()).collect(Collectors.toSet());
    }

    /** On a machine without the Debian package this test says so and stands aside (CI's .ci/run installs it). */
    private static void requireFashionMnist(Path folder) {
        for (String name : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
            if (!Files.isRegularFile(folder.resolve(name + ".gz")) && !Files.isRegularFile(folder.resolve(name))) {
                String why = "this test trains on the real Fashion-MNIST, but " + folder.resolve(name) + "(.gz) is missing: install it "
                        + "with 'apt-get install dataset-fashion-mnist'";
                System.err.println("SpaceEvolutionFashionTest: " + why + "; skipped");
                Assumptions.abort(why);
            }
        }
    }
}

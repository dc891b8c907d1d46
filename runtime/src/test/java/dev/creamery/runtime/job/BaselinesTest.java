package dev.creamery.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.creamery.api.Architecture;
import dev.creamery.api.SearchSpace;
import dev.creamery.runtime.Jobs;
import dev.creamery.testkit.RecordingProgress;
import dev.creamery.wiring.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code finalize.baselines}: the space's largest, smallest and a random member are finalised the
 * way the best was (inherited weights, the same retraining, tested), recorded in result.json, and a
 * resumed run does not train them again.
 */
class BaselinesTest {
    @TempDir
    Path dir;

    @Test
    void baselinesAreFinalizedLikeTheBestAndResumeWithoutRetraining() throws Exception {
        LoadedJob job = Jobs.load(Jobs.write(dir, "tiny.conf", Jobs.TINY_SEARCH), JobLoader.Purpose.SEARCH,
                "finalize.baselines=[largest, smallest, random]");
        SearchSpace space = job.settings().space();
        RecordingProgress progress = new RecordingProgress();
        RunResult result = new JobRunner(progress).run(job, dir.resolve("run"), RunFolder.Mode.NEW);

        assertThat(result.baselines()).extracting(RunResult.Baseline::name).containsExactly("largest", "smallest", "random");
        assertThat(result.baselines().get(0).architecture()).isEqualTo(space.largest());
        assertThat(result.baselines().get(1).architecture()).isEqualTo(space.smallest());
        Architecture random = result.baselines().get(2).architecture();
        assertThat(random).isEqualTo(JobSettings.Baseline.RANDOM.pick(space, job.settings().seed()));
        assertThat(result.baselines().get(0).complexity().params()).isGreaterThan(result.baselines().get(1).complexity().params());
        for (RunResult.Baseline baseline : result.baselines()) {
            assertThat(baseline.outcome().inherited()).as(baseline.name()).isTrue();
            assertThat(baseline.outcome().retrainEpochs()).isEqualTo(1);
            assertThat(baseline.outcome().weights()).isNull();
            assertThat(baseline.outcome().testAccuracy().getAsDouble()).isBetween(0.0, 1.0);
            assertThat(dir.resolve("run/baseline-" + baseline.name())).isDirectory();
        }
        assertThat(progress.notes()).anyMatch(n -> n.startsWith("finalizing baseline largest (" + space.largest()));

        JsonArray json = result.toJson().getAsJsonArray("baselines");
        assertThat(json).hasSize(3);
        JsonObject smallest = json.get(1).getAsJsonObject();
        assertThat(smallest.get("name").getAsString()).isEqualTo("smallest");
        assertThat(smallest.get("canonical").getAsString()).isEqualTo(space.smallest().canonical());
        assertThat(smallest.get("params").getAsLong()).isEqualTo(result.baselines().get(1).complexity().params());
        assertThat(smallest.get("test_accuracy").getAsDouble()).isEqualTo(result.baselines().get(1).outcome().testAccuracy().getAsDouble());

        Files.delete(dir.resolve("run/result.json"));
        RecordingProgress resumed = new RecordingProgress();
        RunResult again = new JobRunner(resumed).run(job, dir.resolve("run"), RunFolder.Mode.RESUME);
        assertThat(again.toJson().get("baselines")).isEqualTo(result.toJson().get("baselines"));
        assertThat(resumed.notes()).filteredOn(n -> n.contains("resumed after epoch 1")).hasSize(4);
    }

    @Test
    void theRandomBaselineFollowsTheSeed() {
        SearchSpace space = Jobs.load(Jobs.write(dir, "tiny.conf", Jobs.TINY_SEARCH), JobLoader.Purpose.SEARCH).settings().space();
        List<Architecture> picks = new Random(1).longs(20).mapToObj(seed -> JobSettings.Baseline.RANDOM.pick(space, seed)).distinct()
                .toList();
        assertThat(picks).hasSizeGreaterThan(1);
        assertThat(JobSettings.Baseline.RANDOM.pick(space, 7)).isEqualTo(JobSettings.Baseline.RANDOM.pick(space, 7));
    }

    @Test
    void anUnknownOrRepeatedBaselineIsOneClearError() {
        Path file = Jobs.write(dir, "tiny.conf", Jobs.TINY_SEARCH);
        assertThatThrownBy(() -> Jobs.load(file, JobLoader.Purpose.SEARCH, "finalize.baselines=[biggest]"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("job.finalize.baselines")
                .hasMessageContaining("'biggest' is not one of [largest, smallest, random]");
        assertThatThrownBy(() -> Jobs.load(file, JobLoader.Purpose.SEARCH, "finalize.baselines=[random, random]"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("job.finalize")
                .hasMessageContaining("names a baseline twice: [random, random]");
    }
}

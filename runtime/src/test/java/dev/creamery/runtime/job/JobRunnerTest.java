package dev.creamery.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.creamery.runtime.Jobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobRunnerTest {
    @Test
    void runsASearchEndToEnd(@TempDir Path dir) throws Exception {
        LoadedJob job = Jobs.load(Jobs.write(dir, "tiny.conf", Jobs.TINY_SEARCH), JobLoader.Purpose.SEARCH);
        JsonObject result = new JobRunner(new ConsoleProgress(System.err, Duration.ofSeconds(5))).run(job, dir.resolve("run"),
                RunFolder.Mode.NEW);
        System.err.println(result);
        assertThat(result.get("trials").getAsInt()).isGreaterThanOrEqualTo(4);
        assertThat(result.getAsJsonObject("best").get("test_accuracy").getAsDouble()).isGreaterThan(0.25);
        assertThat(Files.readAllLines(dir.resolve("run/trials.jsonl"))).hasSize(result.get("trials").getAsInt());
        assertThat(dir.resolve("run/model.safetensors")).exists();
        assertThat(dir.resolve("run/report.png")).exists();
    }
}

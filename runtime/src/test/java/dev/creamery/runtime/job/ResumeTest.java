package dev.creamery.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import dev.creamery.runtime.Jobs;
import dev.creamery.wiring.InvalidConfigException;
import dev.creamery.testkit.RecordingProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run cut short continues where it stopped: recorded trials are not evaluated again and the result is the same. */
class ResumeTest {
    @TempDir
    Path dir;

    @Test
    void resumedRunSkipsRecordedTrialsAndEndsTheSame() throws Exception {
        LoadedJob job = Jobs.load(Jobs.write(dir, "tiny.conf", Jobs.TINY_SEARCH), JobLoader.Purpose.SEARCH);
        RecordingProgress first = new RecordingProgress();
        JsonObject complete = new JobRunner(first).run(job, dir.resolve("a"), RunFolder.Mode.NEW).toJson();
        List<String> trials = Files.readAllLines(dir.resolve("a/trials.jsonl"));
        assertThat(first.trialsEvaluated()).isEqualTo(trials.size());

        Path b = dir.resolve("b");
        new JobRunner(new RecordingProgress()).run(job, b, RunFolder.Mode.NEW);
        // Cut the run back as a kill during the search would have left it.
        Files.writeString(b.resolve("trials.jsonl"), String.join("\n", trials.subList(0, 5)) + "\n{\"number\":5,\"sta");
        for (String output : List.of("result.json", "model.safetensors", "model.json", "report.png")) {
            Files.delete(b.resolve(output));
        }
        RecordingProgress resumed = new RecordingProgress();
        JsonObject result = new JobRunner(resumed).run(job, b, RunFolder.Mode.RESUME).toJson();
        assertThat(resumed.trialsEvaluated()).isEqualTo(trials.size() - 5);
        assertThat(withoutTimes(Files.readAllLines(b.resolve("trials.jsonl")))).containsExactlyElementsOf(withoutTimes(trials));
        assertThat(result.get("best")).isEqualTo(complete.get("best"));
        assertThat(resumed.notes()).anyMatch(n -> n.contains("resumed after epoch 2"));
    }

    private static List<String> withoutTimes(List<String> lines) {
        return lines.stream().map(line -> line.replaceAll(",\"cost_seconds\":[0-9.eE-]+", "")).toList();
    }

    @Test
    void aNewRunNeverOverwritesAnotherAndResumeNeedsTheSameSettings() {
        LoadedJob job = Jobs.load(Jobs.write(dir, "tiny.conf", Jobs.TINY_SEARCH), JobLoader.Purpose.SEARCH);
        new JobRunner(new RecordingProgress()).run(job, dir.resolve("run"), RunFolder.Mode.NEW);
        assertThatThrownBy(() -> new JobRunner(new RecordingProgress()).run(job, dir.resolve("run"), RunFolder.Mode.NEW))
                .isInstanceOf(RunFolderException.class).hasMessageContaining("already holds a run").hasMessageContaining("--resume");
        LoadedJob changed = Jobs.load(dir.resolve("tiny.conf"), JobLoader.Purpose.SEARCH, "strategy.population=5");
        assertThatThrownBy(() -> new JobRunner(new RecordingProgress()).run(changed, dir.resolve("run"), RunFolder.Mode.RESUME))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("job.strategy.population")
                .hasMessageContaining("differs from the run being resumed");
        assertThatThrownBy(() -> new JobRunner(new RecordingProgress()).run(job, dir.resolve("nothing"), RunFolder.Mode.RESUME))
                .isInstanceOf(RunFolderException.class).hasMessageContaining("nothing to resume");
    }

    @Test
    void anUnusableRunFolderIsRefused() throws Exception {
        LoadedJob job = Jobs.load(Jobs.write(dir, "tiny.conf", Jobs.TINY_SEARCH), JobLoader.Purpose.SEARCH);
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertThatThrownBy(() -> new JobRunner(new RecordingProgress()).run(job, file.resolve("run"), RunFolder.Mode.NEW))
                .isInstanceOf(RunFolderException.class).hasMessageContaining("a-file");
    }
}

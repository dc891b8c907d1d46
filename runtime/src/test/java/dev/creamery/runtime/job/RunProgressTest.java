package dev.creamery.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.creamery.api.Progress;
import dev.creamery.runtime.report.RunPlots;
import dev.creamery.runtime.report.RunRecord;
import dev.creamery.testkit.RecordingProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's live progress file: what the dashboard reads while the run works. */
class RunProgressTest {
    @TempDir
    Path dir;

    private JsonObject read() throws Exception {
        return JsonParser.parseString(Files.readString(dir.resolve(RunProgress.FILE))).getAsJsonObject();
    }

    @Test
    void keepsTheWorkUnderWayAndWritesAHeldBackChangeWithinASecond() throws Exception {
        RecordingProgress console = new RecordingProgress();
        RunProgress progress = new RunProgress(console);
        try (RunProgress.Attached attached = progress.attach(dir.resolve(RunProgress.FILE))) {
            assertThat(read().has("started")).isTrue();
            try (Progress.Tracker tracker = progress.start("evolution", 4, "generation")) {
                JsonObject started = read().getAsJsonArray("activities").get(0).getAsJsonObject();
                assertThat(started.get("activity").getAsString()).isEqualTo("evolution");
                assertThat(started.get("done").getAsLong()).isZero();
                tracker.advance(1, "best 0.5");
                tracker.advance(1, "best 0.6");
                long deadline = System.nanoTime() + 3_000_000_000L;
                while (read().getAsJsonArray("activities").get(0).getAsJsonObject().get("done").getAsLong() < 2) {
                    assertThat(System.nanoTime()).as("the held-back change was not written within 3 s").isLessThan(deadline);
                    Thread.sleep(50);
                }
                JsonObject activity = read().getAsJsonArray("activities").get(0).getAsJsonObject();
                assertThat(activity.get("status").getAsString()).isEqualTo("best 0.6");
                assertThat(activity.get("eta_seconds").getAsDouble()).isPositive();
            }
            assertThat(read().getAsJsonArray("activities")).isEmpty();
            progress.note("the supernet is trained");
            assertThat(read().getAsJsonArray("notes").get(0).getAsJsonObject().get("message").getAsString())
                    .isEqualTo("the supernet is trained");
        }
        assertThat(read().has("ended")).isTrue();
        assertThat(console.notes()).containsExactly("the supernet is trained");
    }

    @Test
    void aRecordedQuantityIsASeriesThatStaysBounded() throws Exception {
        RunProgress progress = new RunProgress(new RecordingProgress());
        int steps = 2 * RunProgress.SERIES_POINTS + 10;
        try (RunProgress.Attached attached = progress.attach(dir.resolve(RunProgress.FILE));
                Progress.Tracker tracker = progress.start("reinforce", steps, "step")) {
            for (int step = 1; step <= steps; step++) {
                tracker.advance(1, "");
                tracker.record("entropy", 10.0 / step);
            }
            tracker.record("entropy", Double.NaN);
        }
        JsonObject series = read().getAsJsonObject("series").getAsJsonObject("reinforce-entropy");
        assertThat(series.get("title").getAsString()).isEqualTo("reinforce entropy");
        assertThat(series.get("unit").getAsString()).isEqualTo("step");
        var xs = series.getAsJsonArray("x");
        var ys = series.getAsJsonArray("y");
        assertThat(xs.size()).isEqualTo(ys.size()).isBetween(RunProgress.SERIES_POINTS / 2, RunProgress.SERIES_POINTS);
        assertThat(xs.get(0).getAsDouble()).isEqualTo(1);
        assertThat(ys.get(0).getAsDouble()).isEqualTo(10.0);
        assertThat(xs.get(xs.size() - 1).getAsDouble()).as("the last value is kept; NaN is not a value").isEqualTo(steps);
        for (int i = 1; i < xs.size(); i++) {
            assertThat(xs.get(i).getAsDouble()).isGreaterThan(xs.get(i - 1).getAsDouble());
            assertThat(ys.get(i).getAsDouble()).isEqualTo(10.0 / xs.get(i).getAsDouble());
        }
        // The dashboard and the report draw it.
        var charts = RunPlots.of(RunRecord.read(dir));
        assertThat(charts).containsOnlyKeys("reinforce-entropy");
        assertThat(charts.get("reinforce-entropy").svg(600, 380)).contains("reinforce entropy").contains("<polyline");
    }
}

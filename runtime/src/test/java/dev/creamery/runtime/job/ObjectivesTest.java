package dev.creamery.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.creamery.api.Metrics;
import dev.creamery.api.Objective;
import dev.creamery.api.Trial;
import dev.creamery.runtime.Jobs;
import dev.creamery.testkit.RecordingProgress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's objectives decide the best and the Pareto front: a search can trade accuracy against
 * the measured latency of its members (evolution ranking its parents by Pareto rank over both).
 */
class ObjectivesTest {
    @TempDir
    Path dir;

    @Test
    void aSearchTradesAccuracyAgainstMeasuredLatency() {
        Path file = Jobs.write(dir, "fast.conf", Jobs.TINY_SEARCH);
        LoadedJob job = Jobs.load(file, JobLoader.Purpose.SEARCH, "objectives=[{metric=accuracy, goal=max}, {metric=latency-ms, goal=min}]",
                "strategy.selection=pareto");
        assertThat(job.settings().objectives()).containsExactly(Objective.ACCURACY, Objective.minimize(Metrics.LATENCY_MS));
        RunResult result = new JobRunner(new RecordingProgress()).run(job, dir.resolve("run"), RunFolder.Mode.NEW);
        assertThat(result.paretoFront()).isNotEmpty().allSatisfy(t -> assertThat(t.metricOrNaN(Metrics.LATENCY_MS)).isPositive());
        for (Trial a : result.paretoFront()) {
            for (Trial b : result.paretoFront()) {
                double accuracyA = a.metricOrNaN(Metrics.ACCURACY);
                double accuracyB = b.metricOrNaN(Metrics.ACCURACY);
                double latencyA = a.metricOrNaN(Metrics.LATENCY_MS);
                double latencyB = b.metricOrNaN(Metrics.LATENCY_MS);
                boolean dominated = accuracyA >= accuracyB && latencyA <= latencyB && (accuracyA > accuracyB || latencyA < latencyB);
                assertThat(dominated).as("%s dominates %s on the front", a.number(), b.number()).isFalse();
            }
        }
        JsonObject json = result.toJson();
        assertThat(json.getAsJsonArray("objectives").get(1).getAsJsonObject().get("metric").getAsString()).isEqualTo("latency-ms");
        assertThat(json.getAsJsonArray("pareto_front").get(0).getAsJsonObject().has("latency-ms")).isTrue();
        assertThat(json.getAsJsonObject("best").getAsJsonObject("metrics").get("latency-ms").getAsDouble()).isPositive();
    }
}

package dev.creamery.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import dev.creamery.runtime.Jobs;
import dev.creamery.testkit.RecordingProgress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run on a thread of the caller's choosing (a web application's worker, a pool): the engine
 * records gradients on every thread but the one that loaded it, and a run must not depend on which
 * one that was.
 */
class RunThreadTest {
    @TempDir
    Path dir;

    @Test
    void aSearchRunsTheSameOnAThreadThatDidNotLoadTheEngine() throws Exception {
        Engine.getInstance();
        LoadedJob job = Jobs.load(Jobs.write(dir, "tiny.conf", Jobs.TINY_SEARCH), JobLoader.Purpose.SEARCH);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            RunResult there = CompletableFuture.supplyAsync(() -> new JobRunner(new RecordingProgress()).run(job, dir.resolve("there"),
                    RunFolder.Mode.NEW), other).get();
            RunResult here = new JobRunner(new RecordingProgress()).run(job, dir.resolve("here"), RunFolder.Mode.NEW);
            assertThat(there.toJson().get("best")).isEqualTo(here.toJson().get("best"));
        } finally {
            other.shutdownNow();
        }
    }
}

package dev.creamery.runtime.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.creamery.runtime.Jobs;
import dev.creamery.runtime.cli.Creamery;
import dev.creamery.testkit.ResidentMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long one-shot search, run by the command line in a process of its own: a convnet supernet trained
 * once, then 800 distinct members evolved and scored with inherited weights. Once warmed up, the
 * process's resident size stays put (docs/running.md, "Memory over a long search").
 */
@Tag("slow")
class OneShotSearchMemoryTest {
    static final int TRIALS = 800;
    static final int EVERY = 10;
    /**
     * The first two fifths of the trials: supernet training, first evaluations, the JIT compiler.
     * With 400 trials and a warm-up of 80 the run lasted 9 s and its resident size still climbed in
     * steps of 2 MiB through the last trials in some runs (5.0% in two of five), while the JVM was
     * still compiling.
     */
    static final int WARM_UP = TRIALS * 2 / 5;

    private static final String JOB = """
            job {
              name = memory-one-shot
              seed = 5
              compute { device = cpu, threads = 1 }
              data { type = synthetic, channels = 3, size = 16, classes = 10, train-size = 1024, validation-size = 512, test-size = 64 }
              space { type = convnet, depths = [2, 3, 4], widths = [8, 16, 24], kernels = [3, 5], stem = 8 }
              evaluator { type = one-shot, supernet { epochs = 1, batch-size = 32, lr = 3e-3, warmup-epochs = 0 } }
              strategy { type = evolution, population = 25, generations = 31, parents = 5, mutations = 10, crossovers = 5 }
              finalize { inherit = true, retrain { epochs = 0 }, test = false, export = false }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void residentMemoryStaysFlatOverEightHundredEvaluations() throws Exception {
        assumeTrue(ResidentMemory.available(), "resident sizes are read from /proc");
        Path job = Jobs.write(dir, "memory.conf", JOB);
        Path run = dir.resolve("run");
        ResidentMemory.Trace trace = ResidentMemory.run(Creamery.class.getName(), List.of("run", job.toString(), "--out", run.toString()),
                EVERY, Duration.ofMinutes(5), dir.resolve("output.log"));

        assertThat(trace.status()).as(trace.output()).isZero();
        // Every journal line is an evaluation: the strategy never repeats a member and repeats are not journaled.
        assertThat(Files.readAllLines(run.resolve("trials.jsonl"))).hasSize(TRIALS);
        assertThat(trace.samples()).hasSize(TRIALS / EVERY);
        double growth = trace.growthAfter(WARM_UP);
        System.out.printf(Locale.ROOT, "one-shot evolution: %d trials in %.1f s; resident %.1f MiB after %d trials, %.1f MiB at the end,"
                + " growth %.2f%%%n%s", TRIALS, trace.seconds(), trace.afterWarmUp(WARM_UP).residentKib() / 1024.0, WARM_UP,
                trace.end().residentKib() / 1024.0, 100 * growth, trace.table());
        assertThat(growth).as("growth of the resident size after the warm-up:%n%s", trace.table()).isLessThan(0.05);
    }
}

package dev.creamery.spark;

import dev.creamery.api.Architecture;
import dev.creamery.api.TrialExecutor;
import java.io.Serializable;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;

/** What a Spark task runs: the search's recipe, and where the evaluator's folder is on the worker. */
final class EvaluateTask implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TrialExecutor.Remote remote;
    private final String state;
    private final int threads;
    private final boolean local;

    /**
     * @param remote the search's recipe
     * @param state the evaluator's folder: its path (local master), the name of its shipped archive, or null
     * @param threads engine threads per task
     * @param local whether the tasks are threads of the driver
     */
    EvaluateTask(TrialExecutor.Remote remote, String state, int threads, boolean local) {
        this.remote = remote;
        this.state = state;
        this.threads = threads;
        this.local = local;
    }

    TrialExecutor.Outcome evaluate(Architecture architecture) {
        return remote.evaluate(architecture, state(), threads);
    }

    void check() {
        remote.check(state(), threads);
    }

    private Path state() {
        if (state == null) {
            return null;
        }
        return local ? Path.of(state) : Path.of(SparkFiles.get(state));
    }
}

package dev.creamery.runtime.job;

import dev.creamery.api.Architecture;
import dev.creamery.api.Evaluation;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a batch of evaluations for the search context. The default runs them one after the other
 * in this process ({@link #IN_PROCESS}); an executor that runs them elsewhere (Spark tasks) plugs
 * in here. Either way every outcome is handed back to the driver, which journals it once.
 */
public interface Executor {
    /** One after the other, in this process: what a run does unless told otherwise. */
    Executor IN_PROCESS = (batch, evaluate, done) -> {
        for (Architecture architecture : batch) {
            Outcome outcome = evaluate.apply(architecture);
            if (outcome == null) {
                return;
            }
            done.accept(outcome);
        }
    };

    /**
     * @param batch architectures to evaluate, distinct and none of them recorded yet
     * @param evaluate evaluates one in this process; null means stop (the budget ran out)
     * @param done receives each outcome as it finishes (on the caller's thread)
     */
    void run(List<Architecture> batch, Function<Architecture, Outcome> evaluate, Consumer<Outcome> done);

    /**
     * What one evaluation came to.
     *
     * @param architecture the architecture
     * @param evaluation its metrics, or null if it failed or was rejected
     * @param rejected whether the evaluator refused it before any work
     * @param message why it failed or was rejected, or null
     */
    record Outcome(Architecture architecture, Evaluation evaluation, boolean rejected, String message) {}
}

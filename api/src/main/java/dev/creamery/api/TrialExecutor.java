package dev.creamery.api;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs a search's evaluations, batch by batch ({@code job.execution}): one after the other in this
 * process ({@code in-process}, the default), or elsewhere, e.g. as Apache Spark tasks
 * ({@code spark}, the optional engine-spark module). Whatever runs them, every outcome comes back to
 * the driver, which journals it once.
 *
 * <p>An executor that runs evaluations in other JVMs sends them {@link Work#remote()}: a serialisable
 * recipe that rebuilds the job there once per task slot, not once per task.
 */
public interface TrialExecutor extends AutoCloseable {
    /**
     * Evaluates a batch and hands each outcome to {@code done} on the calling thread as it finishes.
     * Stops early when the budget is used up ({@link Work#remaining()} is 0, or {@link Work#evaluate}
     * answers null).
     *
     * @param batch architectures to evaluate, distinct and none of them recorded yet
     * @param work how to evaluate one
     * @param done receives each outcome
     */
    void run(List<Architecture> batch, Work work, Consumer<Outcome> done);

    /**
     * Evaluates a batch one after the other in this process: the {@code in-process} executor, and
     * what another executor falls back on for evaluations it cannot send elsewhere.
     *
     * @param batch architectures to evaluate
     * @param work how to evaluate one
     * @param done receives each outcome
     */
    static void inOrder(List<Architecture> batch, Work work, Consumer<Outcome> done) {
        for (Architecture architecture : batch) {
            Outcome outcome = work.evaluate(architecture);
            if (outcome == null) {
                return;
            }
            done.accept(outcome);
        }
    }

    /** Releases what the executor holds (a cluster connection); a run closes its executor when it ends. */
    @Override
    default void close() {}

    /** The evaluations of one search (or one phase of it). */
    interface Work {
        /**
         * @param architecture a member of the space
         * @return its outcome, evaluated in this process; null if the budget is used up
         */
        Outcome evaluate(Architecture architecture);

        /** @return how many more trials the budget allows (0 when its time is up; {@link Integer#MAX_VALUE} if unlimited) */
        int remaining();

        /**
         * @return the same evaluations as a recipe for another JVM; empty if other JVMs cannot rebuild
         *     them (a phase over a space that is not a {@link Subspace} of the job's), and then an
         *     executor runs them here
         */
        Optional<Remote> remote();

        /** @return where the executor reports its own progress (tasks running, done, retried) */
        Progress progress();
    }

    /**
     * The evaluations of a search as another JVM runs them: it rebuilds the job from its settings
     * (plugins from that JVM's class path, data by path), prepares the evaluator from the state the
     * driver's evaluator left (its folder, e.g. a trained supernet's checkpoint), and keeps what it
     * built for the next task. Safe to call from several threads.
     */
    interface Remote extends Serializable {
        /** @return the driver's folder that must reach every worker before it evaluates, if any */
        Optional<Path> state();

        /**
         * Rebuilds the job in this JVM (or reuses it) without evaluating anything: run once per
         * worker before any trial, so that a worker that cannot read the data fails before the search.
         *
         * @param state where {@link #state()} is readable in this JVM (the driver's path itself when
         *     it is shared), or null if there is none
         * @param threads the engine threads a task may use
         * @throws IllegalStateException naming the host and what it could not do
         */
        void check(Path state, int threads);

        /**
         * @param architecture the member to evaluate
         * @param state where {@link #state()} is readable in this JVM, or null if there is none
         * @param threads the engine threads a task may use
         * @return its outcome; an evaluation that fails (a diverged loss, a refused member) is an
         *     outcome too, so that it is recorded once rather than retried
         */
        Outcome evaluate(Architecture architecture, Path state, int threads);
    }

    /**
     * What one evaluation came to.
     *
     * @param architecture the architecture
     * @param evaluation its metrics, or null if it failed or was rejected
     * @param rejected whether the evaluator refused it before any work
     * @param message why it failed or was rejected, or null
     */
    record Outcome(Architecture architecture, Evaluation evaluation, boolean rejected, String message) implements Serializable {
        private static final long serialVersionUID = 1L;
    }
}

package dev.creamery.api;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Random;

/**
 * What an {@link Evaluator} gets from the runtime: data, device, training, a folder for its files.
 *
 * <p>Arrays made from {@link #manager()} live as long as the search; anything created per step or
 * per trial belongs in a sub-manager that is closed afterwards (see docs/plugin-guide.md).
 */
public interface EvaluationContext {
    /** @return the input shape and classes */
    Task task();

    /** @return the job's data set */
    ImageDataSet data();

    /** @return where tensors live (every array the evaluator makes goes there) */
    Device device();

    /** @return a manager on {@link #device()} that lives as long as the search */
    NDManager manager();

    /**
     * A random source that depends only on the job's seed and {@code purpose}: the same purpose
     * gives the same sequence in every run, which makes evaluations repeatable.
     *
     * @param purpose what the randomness is for, e.g. {@code "supernet"} or an architecture's
     *     canonical form
     * @return a new random source
     */
    Random random(String purpose);

    /**
     * Seeds the engine's own random generators (initialisers, dropout, drop-path) from the job's
     * seed and {@code purpose}, as {@link #random(String)} derives a Java random source: call it
     * before initialising a network so that its initial weights are the same in every run.
     *
     * @param purpose what the engine's randomness is for next, e.g. {@code "supernet-init"}
     */
    default void seedEngine(String purpose) {
        long seed = random(purpose).nextLong();
        Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
    }

    /**
     * Seeds the engine as {@link #seedEngine} does and runs {@code draws} (e.g. initialising a
     * network) before any other thread of this process can seed or draw through this method: the
     * engine has one generator per process, which evaluations running side by side in one JVM
     * (Spark's {@code local[N]}) share.
     *
     * @param purpose what the engine's randomness is for, e.g. {@code "init:" + architecture.canonical()}
     * @param draws what draws from the engine's generator
     */
    default void seeded(String purpose, Runnable draws) {
        synchronized (EngineGenerator.LOCK) {
            seedEngine(purpose);
            draws.run();
        }
    }

    /** @return where to report progress */
    Progress progress();

    /** @return the shared training loop, bound to this job's data and device */
    Training training();

    /** @return a folder of the run for this evaluator's files (checkpoints); it exists */
    Path directory();
}

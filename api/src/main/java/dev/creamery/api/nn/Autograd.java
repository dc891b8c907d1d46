package dev.creamery.api.nn;

import ai.djl.engine.Engine;
import ai.djl.training.GradientCollector;
import java.util.ServiceLoader;

/**
 * Records gradients for one forward and backward pass: use it where DJL's
 * {@code Engine.newGradientCollector()} would go. DJL's PyTorch collector allows one at a time per
 * process, though PyTorch records per thread; evaluations that run side by side in one JVM (Spark
 * task threads) each need their own, which the runtime provides through {@link Recorder}.
 */
public final class Autograd {
    private static final Recorder RECORDER = ServiceLoader.load(Recorder.class, Autograd.class.getClassLoader()).findFirst()
            .orElse(() -> Engine.getInstance().newGradientCollector());

    private Autograd() {}

    /** @return a collector confined to this thread; close it when the pass is done */
    public static GradientCollector record() {
        return RECORDER.collect();
    }

    /** Makes collectors; the runtime lists its own for {@link ServiceLoader}. */
    public interface Recorder {
        /** @return a collector confined to the calling thread */
        GradientCollector collect();
    }
}

package dev.creamery.runtime.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The few things DJL offers only through the PyTorch engine's internals, kept in one place: the
 * no-grad switch, zeroing a gradient, thread counts, seeding, and device selection.
 */
public final class Engines {
    private Engines() {}

    /**
     * Runs work with gradient recording off (PyTorch's {@code torch.no_grad()}); DJL records the
     * graph even in inference mode otherwise.
     *
     * @param work the work
     * @param <T> its result
     * @return the result
     */
    public static <T> T withoutGradients(Supplier<T> work) {
        Engine.getInstance();
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return work.get();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    /**
     * @param parameter a parameter array whose gradient (if any) is reset to zero in place
     */
    public static void zeroGradient(NDArray parameter) {
        JniUtils.zeroGrad((PtNDArray) parameter);
    }

    /**
     * Sets the intra-op thread count of the engine.
     *
     * @param threads threads to use; 0 keeps the engine's default (all cores)
     */
    public static void threads(int threads) {
        Engine.getInstance();
        if (threads > 0) {
            JniUtils.setNumThreads(threads);
        }
    }

    /** @return the engine's intra-op thread count */
    public static int threads() {
        Engine.getInstance();
        return JniUtils.getNumThreads();
    }

    /**
     * Seeds the engine's own random generators (dropout, drop-path, initialisers).
     *
     * @param seed the seed
     */
    public static void seed(long seed) {
        Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
    }

    /**
     * @param spec {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
     * @return the device
     * @throws IllegalArgumentException if the spec is malformed or names a GPU this machine lacks
     */
    public static Device device(String spec) {
        Engine engine = Engine.getInstance();
        String s = spec.toLowerCase(Locale.ROOT).trim();
        if (s.equals("auto")) {
            return engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        }
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.equals("gpu") || s.startsWith("gpu:")) {
            int index = s.equals("gpu") ? 0 : parseIndex(s.substring(4), spec);
            if (index >= engine.getGpuCount()) {
                throw new IllegalArgumentException("device '" + spec + "' is not available: this machine has "
                        + engine.getGpuCount() + " GPU(s) visible to PyTorch; use 'cpu' or 'auto'");
            }
            return Device.gpu(index);
        }
        throw new IllegalArgumentException("device must be auto, cpu, gpu or gpu:N, got '" + spec + "'");
    }

    private static int parseIndex(String text, String spec) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("device must be auto, cpu, gpu or gpu:N, got '" + spec + "'", e);
        }
    }

    /**
     * Measures the engine's float32 matrix-multiply throughput on a 1024×1024 product, the
     * practical ceiling of a dense network on this machine.
     *
     * @param manager where to allocate
     * @param repeats timed repetitions after warm-up (the median is reported)
     * @return multiply-accumulates per second
     */
    public static double matmulCeiling(NDManager manager, int repeats) {
        int n = 1024;
        try (NDManager scope = manager.newSubManager()) {
            NDArray a = scope.randomUniform(-1, 1, new Shape(n, n));
            NDArray b = scope.randomUniform(-1, 1, new Shape(n, n));
            double[] seconds = new double[repeats];
            return withoutGradients(() -> {
                for (int i = 0; i < 3; i++) {
                    a.matMul(b).close();
                }
                for (int i = 0; i < repeats; i++) {
                    long start = System.nanoTime();
                    NDArray c = a.matMul(b);
                    c.getFloat(0, 0);
                    seconds[i] = (System.nanoTime() - start) / 1e9;
                    c.close();
                }
                Arrays.sort(seconds);
                return (double) n * n * n / seconds[repeats / 2];
            });
        }
    }
}

package dev.creamery.runtime.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * The few things DJL offers only through the PyTorch engine's internals, kept in one place: the
 * no-grad switch, zeroing a gradient, thread counts, seeding, and device selection.
 */
public final class Engines {
    private static volatile boolean convolutionChecked;

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
        checkConvolutionOnce();
    }


    /**
     * Warns once per process when the engine's float32 convolution is wrong on this CPU. PyTorch
     * 2.7.1's oneDNN kernels compute some shapes wrongly on some AVX-512 processors (a 24-to-48
     * channel 3x3 stride-2 convolution at 112x112 is off by 40%), which breaks every convolutional
     * model; capping oneDNN's instruction set avoids those kernels.
     */
    private static void checkConvolutionOnce() {
        if (convolutionChecked) {
            return;
        }
        convolutionChecked = true;
        double error = convolutionError();
        if (error > 1e-3) {
            LoggerFactory.getLogger(Engines.class).warn("this CPU's float32 convolution in the bundled PyTorch is wrong (relative error {});"
                    + " convolutional models will give wrong results. Run with the environment variable ONEDNN_MAX_CPU_ISA=SSE41"
                    + " (slower convolutions, correct results); see docs/running.md", String.format(Locale.ROOT, "%.2g", error));
        }
    }

    /**
     * @return the largest error of the engine's float32 convolution (3x3, stride 2, 24 to 48 channels
     *     at 112x112) against the same sums in float64 by matrix products, over the outputs that read
     *     no padding, relative to the largest output; a float64 convolution would wake PyTorch's
     *     NNPACK probe, which prints a warning on most CPUs
     */
    static double convolutionError() {
        int outputs = 55;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomUniform(-1, 1, new Shape(1, 24, 112, 112));
            NDArray w = manager.randomUniform(-0.3f, 0.3f, new Shape(48, 24, 3, 3));
            return withoutGradients(() -> {
                NDArray single = Conv2d.conv2d(x, w, null, new Shape(2, 2), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow()
                        .get("0, :, 1:56, 1:56").reshape(48, (long) outputs * outputs).toType(DataType.FLOAT64, false);
                NDArray x64 = x.toType(DataType.FLOAT64, false);
                NDArray w64 = w.toType(DataType.FLOAT64, false);
                NDArray exact = manager.zeros(new Shape(48, (long) outputs * outputs), DataType.FLOAT64);
                for (int dy = 0; dy < 3; dy++) {
                    for (int dx = 0; dx < 3; dx++) {
                        NDArray taps = x64.get(String.format(Locale.ROOT, "0, :, %d:%d:2, %d:%d:2", 1 + dy, 1 + dy + 2 * outputs, 1 + dx,
                                1 + dx + 2 * outputs)).reshape(24, (long) outputs * outputs);
                        exact = exact.add(w64.get(String.format(Locale.ROOT, ":, :, %d, %d", dy, dx)).matMul(taps));
                    }
                }
                return single.sub(exact).abs().max().getDouble() / exact.abs().max().getDouble();
            });
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

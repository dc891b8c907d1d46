package dev.creamery.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Computes the catalogue of convolutions ({@value #CATALOGUE}) with the engine in float32 and
 * by matrix products in float64, and reports the largest difference. Every convolution runs
 * forward for one image; those on images up to 32x32 (where training on a CPU happens) also run
 * forward and backward for a batch of four, which takes other kernels.
 *
 * <p>Its {@code main} is the child process of {@link EngineCheck}: it applies one setting, checks,
 * prints one line per finding and exits 0 when every convolution is right.
 */
public final class ConvolutionProbe {
    /** A relative error above this is a wrong kernel, not rounding (float32 rounding is about 1e-6). */
    static final double TOLERANCE = 1e-3;
    static final String CHILD_PROPERTY = "creamery.engine-check.child";
    static final String RESULT = "convolution-check";

    private static final int TRAINING_BATCH = 4;
    /** A convolution on this many channels or fewer reads images (grey or RGB), whose gradient nothing computes. */
    private static final int IMAGE_CHANNELS = 3;
    private static final long TRAINING_PIXELS = 32 * 32;

    private ConvolutionProbe() {}

    /** One convolution configuration of the catalogue. */
    record Convolution(int in, int out, int kernel, int stride, int padding, int dilation, int groups, int height, int width) {
        /** @return the catalogue line of this convolution */
        String line() {
            return String.format(Locale.ROOT, "%d %d %d %d %d %d %d %d %d", in, out, kernel, stride, padding, dilation, groups, height, width);
        }

        static Convolution parse(String line) {
            String[] f = line.trim().split("\\s+");
            int[] v = new int[9];
            for (int i = 0; i < 9; i++) {
                v[i] = Integer.parseInt(f[i]);
            }
            return new Convolution(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d->%d channels, %dx%d kernel, stride %d, padding %d, dilation %d, %d groups, %dx%d input",
                    in, out, kernel, kernel, stride, padding, dilation, groups, height, width);
        }
    }

    /** The worst relative error found, where, and how many computations were checked. */
    record Finding(double error, String where, int checked) {
        boolean correct() {
            return error <= TOLERANCE;
        }
    }

    /** The catalogue's resource name; every jar on the class path may contribute one. */
    static final String CATALOGUE = "dev/creamery/engine/convolutions.txt";

    /**
     * @return the convolutions the check computes: the lines of every catalogue on the class path
     *     (this jar's and those the plugin jars bring for their families), each once
     */
    static List<Convolution> catalogue() {
        Set<String> lines = new LinkedHashSet<>();
        for (String text : catalogueTexts()) {
            text.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> l.replaceAll("\\s+", " "))
                    .forEach(lines::add);
        }
        return lines.stream().map(Convolution::parse).toList();
    }

    /** @return the text of every catalogue on the class path, in class-path order */
    static List<String> catalogueTexts() {
        List<String> texts = new ArrayList<>();
        try {
            Enumeration<URL> urls = ConvolutionProbe.class.getClassLoader().getResources(CATALOGUE);
            while (urls.hasMoreElements()) {
                try (InputStream in = urls.nextElement().openStream()) {
                    texts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the convolution catalogues " + CATALOGUE, e);
        }
        return texts;
    }

    /**
     * Checks the catalogue with the engine as this process has set it up.
     *
     * @return the worst relative error over every output and gradient
     */
    static Finding check() {
        List<Convolution> catalogue = catalogue();
        double worst = 0;
        String where = "";
        int checked = 0;
        SplittableRandom random = new SplittableRandom(20261202);
        try (NDManager manager = Engine.getInstance().newBaseManager()) {
            for (Convolution c : catalogue) {
                double forward = error(manager, c, 1, false, random);
                checked++;
                if (forward > worst) {
                    worst = forward;
                    where = c + ", forward, batch 1" + nan(forward);
                }
                if ((long) c.height() * c.width() <= TRAINING_PIXELS) {
                    double training = error(manager, c, TRAINING_BATCH, true, random);
                    checked++;
                    if (training > worst) {
                        worst = training;
                        where = c + ", forward and backward, batch " + TRAINING_BATCH + nan(training);
                    }
                }
            }
        }
        return new Finding(worst, where, checked);
    }

    private static String nan(double error) {
        return Double.isInfinite(error) ? " (NaN: the kernel read memory it never wrote)" : "";
    }

    /** @return the worst relative error of the outputs (and gradients); a NaN among them is an infinite error */
    private static double error(NDManager parent, Convolution c, int batch, boolean backward, SplittableRandom random) {
        Shape xShape = new Shape(batch, c.in(), c.height(), c.width());
        Shape wShape = new Shape(c.out(), c.in() / c.groups(), c.kernel(), c.kernel());
        soil(parent, xShape.size(), wShape.size(), (long) batch * c.out() * c.height() * c.width());
        try (NDManager manager = parent.newSubManager()) {
            NDArray x = uniform(manager, xShape, random);
            NDArray w = uniform(manager, wShape, random);
            NDArray[] single = run(x, w, c, backward, null);
            NDArray[] exact = run(x.toType(DataType.FLOAT64, false), w.toType(DataType.FLOAT64, false), c, backward,
                    single.length > 1 ? single[3].toType(DataType.FLOAT64, false) : null);
            double worst = 0;
            for (int i = 0; i < exact.length - (backward ? 1 : 0); i++) {
                if (i == 1 && c.in() <= IMAGE_CHANNELS) {
                    // The gradient of an image: training never asks for it. On an AVX-512 EPYC oneDNN's AVX2 and
                    // AVX-512 kernels leave NaN in it for 3 input channels, which would cost every model SSE4.1 speed.
                    continue;
                }
                NDArray reference = exact[i];
                double scale = reference.abs().max().getDouble();
                double difference = single[i].toType(DataType.FLOAT64, false).sub(reference).abs().max().getDouble();
                double relative = scale == 0 ? difference : difference / scale;
                worst = Double.isNaN(relative) ? Double.POSITIVE_INFINITY : Math.max(worst, relative);
            }
            return worst;
        }
    }

    /**
     * @return the output, and with backward the input and weight gradients and the upstream gradient
     *     used; in float64 the output is the sum over kernel taps of strided slices times weight
     *     slices, so that the reference takes neither the engine's convolution kernels nor their
     *     slow per-group loops
     */
    private static NDArray[] run(NDArray x, NDArray w, Convolution c, boolean backward, NDArray upstream) {
        if (backward) {
            x.setRequiresGradient(true);
            w.setRequiresGradient(true);
        }
        try (GradientCollector collector = backward ? Engine.getInstance().newGradientCollector() : null) {
            NDArray y = x.getDataType() == DataType.FLOAT64 ? byTaps(x, w, c)
                    : x.getNDArrayInternal().convolution(x, w, null, new Shape(c.stride(), c.stride()),
                            new Shape(c.padding(), c.padding()), new Shape(c.dilation(), c.dilation()), c.groups()).singletonOrThrow();
            if (!backward) {
                return new NDArray[] {y};
            }
            NDArray g = upstream != null ? upstream : uniform(x.getManager(), y.getShape(), new SplittableRandom(y.getShape().size()));
            collector.backward(y.mul(g).sum());
            return new NDArray[] {y.stopGradient(), x.getGradient().duplicate(), w.getGradient().duplicate(), g};
        }
    }

    private static NDArray byTaps(NDArray x, NDArray w, Convolution c) {
        long n = x.getShape().get(0);
        int g = c.groups();
        int p = c.padding();
        int span = c.dilation() * (c.kernel() - 1) + 1;
        int rows = (c.height() + 2 * p - span) / c.stride() + 1;
        int columns = (c.width() + 2 * p - span) / c.stride() + 1;
        NDArray padded = p > 0 ? x.pad(new Shape(p, p, p, p), 0) : x;
        NDArray grouped = padded.reshape(n, g, c.in() / g, c.height() + 2L * p, c.width() + 2L * p);
        NDArray weights = w.reshape(g, c.out() / g, c.in() / g, c.kernel(), c.kernel());
        NDArray sum = null;
        for (int dy = 0; dy < c.kernel(); dy++) {
            for (int dx = 0; dx < c.kernel(); dx++) {
                int top = dy * c.dilation();
                int left = dx * c.dilation();
                NDArray tap = grouped.get(String.format(Locale.ROOT, ":, :, :, %d:%d:%d, %d:%d:%d", top,
                        top + c.stride() * (rows - 1) + 1, c.stride(), left, left + c.stride() * (columns - 1) + 1, c.stride()))
                        .reshape(n, g, c.in() / g, (long) rows * columns);
                NDArray slice = weights.get(String.format(Locale.ROOT, ":, :, :, %d, %d", dy, dx));
                // One input channel per group (depthwise): a broadcast product, not thousands of 1x1 products.
                NDArray term = c.in() == g ? slice.mul(tap) : slice.matMul(tap);
                sum = sum == null ? term : sum.add(term);
            }
        }
        return sum.reshape(n, c.out(), rows, columns);
    }

    /**
     * Leaves NaN in the memory the allocator hands out next, in blocks of the sizes the convolution
     * is about to allocate and of a few sizes around them. A kernel that reads memory it has not
     * written then gives NaN every time instead of only when the garbage happens to be large: on an
     * AVX-512 EPYC, oneDNN's 24-to-48-channel stride-2 3x3 kernel does, and on fresh (zeroed) memory
     * it passed the check in eleven runs out of twelve.
     */
    private static void soil(NDManager parent, long... sizes) {
        try (NDManager dirt = parent.newSubManager()) {
            for (long size : sizes) {
                for (long scale : new long[] {1, 2, 4}) {
                    dirt.full(new Shape(size * scale), Float.NaN);
                }
            }
            for (int bits = 16; bits <= 22; bits++) {
                dirt.full(new Shape(1L << bits), Float.NaN);
            }
        }
    }

    private static NDArray uniform(NDManager manager, Shape shape, SplittableRandom random) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (2 * random.nextDouble() - 1);
        }
        return manager.create(values, shape);
    }

    /**
     * The child process: {@code -Dcreamery.engine-check.child=SETTING} names the setting (a cap is
     * already in its environment), the output is one line {@code convolution-check ERROR CHECKED WHERE}.
     *
     * @param args none
     */
    public static void main(String[] args) {
        ConvolutionSetting setting = ConvolutionSetting.valueOf(System.getProperty(CHILD_PROPERTY));
        if (setting == ConvolutionSetting.NO_ONEDNN) {
            OneDnn.apply(setting);
        }
        Finding finding = check();
        System.out.println(String.format(Locale.ROOT, "%s %.6g %d %s", RESULT, finding.error(), finding.checked(), finding.where()));
        System.out.flush();
        System.exit(finding.correct() ? 0 : 1);
    }
}

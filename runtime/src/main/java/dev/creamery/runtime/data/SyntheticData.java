package dev.creamery.runtime.data;

import dev.creamery.api.Task;
import java.util.List;
import java.util.Random;

/**
 * A small learnable data set generated in memory, for tests and demos: each class has a random
 * prototype image; an example is its class prototype plus Gaussian noise, clipped to bytes.
 */
public final class SyntheticData extends SplitDataSet {
    private final Settings settings;

    /**
     * @param channels image channels
     * @param size image height and width
     * @param classes number of classes
     * @param trainSize training images (validation is taken out of them)
     * @param validationSize validation images
     * @param testSize test images
     * @param noise standard deviation of the noise, in units of the byte range (0..1)
     * @param seed generator seed
     * @param augment training augmentation
     */
    public record Settings(int channels, int size, int classes, int trainSize, int validationSize, int testSize, double noise,
            long seed, Augmentation augment) {
        /** Checks the shape and sizes. */
        public Settings {
            if (channels < 1 || size < 1 || classes < 2) {
                throw new IllegalArgumentException("synthetic data needs channels >= 1, size >= 1, classes >= 2");
            }
            if (trainSize < 1 || validationSize < 1 || testSize < 1) {
                throw new IllegalArgumentException("synthetic split sizes must be >= 1");
            }
            if (noise < 0) {
                throw new IllegalArgumentException("noise must be >= 0, got " + noise);
            }
        }
    }

    /** @param settings the settings */
    public SyntheticData(Settings settings) {
        super(new SplitSettings(settings.validationSize(), 0, 0, settings.seed()), repeat(0.5, settings.channels()),
                repeat(0.25, settings.channels()), settings.augment());
        this.settings = settings;
    }

    private static List<Double> repeat(double value, int n) {
        return java.util.Collections.nCopies(n, value);
    }

    @Override
    public Task task() {
        return Task.square(settings.channels(), settings.size(), settings.classes());
    }

    @Override
    protected PixelData readTrain() {
        return generate(settings.trainSize() + settings.validationSize(), 1);
    }

    @Override
    protected PixelData readTest() {
        return generate(settings.testSize(), 2);
    }

    private PixelData generate(int count, long stream) {
        Task task = task();
        int pixelsPerImage = task.channels() * task.height() * task.width();
        Random prototypes = new Random(settings.seed());
        double[][] prototype = new double[task.classes()][pixelsPerImage];
        for (double[] p : prototype) {
            for (int i = 0; i < p.length; i++) {
                p[i] = prototypes.nextDouble();
            }
        }
        Random random = new Random(settings.seed() * 31 + stream);
        byte[] pixels = new byte[count * pixelsPerImage];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++) {
            labels[n] = random.nextInt(task.classes());
            for (int i = 0; i < pixelsPerImage; i++) {
                double v = prototype[labels[n]][i] + settings.noise() * random.nextGaussian();
                pixels[n * pixelsPerImage + i] = (byte) Math.round(255 * Math.max(0, Math.min(1, v)));
            }
        }
        return new PixelData(task, pixels, labels);
    }
}

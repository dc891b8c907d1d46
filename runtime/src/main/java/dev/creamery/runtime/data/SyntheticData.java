package dev.creamery.runtime.data;

import dev.creamery.api.Task;
import java.util.List;
import java.util.Random;

/**
 * A small learnable data set generated in memory, for tests and demos: each class is a stripe
 * pattern of its own orientation (with a random phase per channel); an example is its class
 * pattern plus Gaussian noise, clipped to bytes. Orientation survives global pooling of
 * convolution features, so both convolutional and fully connected networks can learn it.
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
        Random phases = new Random(settings.seed());
        int plane = task.height() * task.width();
        double[][] prototype = new double[task.classes()][pixelsPerImage];
        for (int c = 0; c < task.classes(); c++) {
            double angle = Math.PI * c / task.classes();
            for (int channel = 0; channel < task.channels(); channel++) {
                double phase = 2 * Math.PI * phases.nextDouble();
                for (int y = 0; y < task.height(); y++) {
                    for (int x = 0; x < task.width(); x++) {
                        double along = x * Math.cos(angle) + y * Math.sin(angle);
                        prototype[c][channel * plane + y * task.width() + x] = 0.5 + 0.5 * Math.sin(2 * Math.PI * along / 4 + phase);
                    }
                }
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

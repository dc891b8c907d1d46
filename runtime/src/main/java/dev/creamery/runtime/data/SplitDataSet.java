package dev.creamery.runtime.data;

import dev.creamery.api.DataException;
import dev.creamery.api.ImageDataSet;
import dev.creamery.api.ImageSplit;
import dev.creamery.api.Split;
import dev.creamery.api.Task;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A data set read from disk once, on first use, as a training part and a test part; validation
 * images are a fixed random subset of the training part.
 */
public abstract class SplitDataSet implements ImageDataSet {
    private final SplitSettings splits;
    private final List<Double> mean;
    private final List<Double> std;
    private final Augmentation augmentation;
    private Map<Split, ImageSplit> loaded;

    /**
     * @param splits how to divide the data
     * @param mean per-channel mean
     * @param std per-channel standard deviation
     * @param augmentation training augmentation
     */
    protected SplitDataSet(SplitSettings splits, List<Double> mean, List<Double> std, Augmentation augmentation) {
        this.splits = splits;
        this.mean = List.copyOf(mean);
        this.std = List.copyOf(std);
        this.augmentation = augmentation;
    }

    /**
     * @param mean per-channel means
     * @param std per-channel standard deviations
     * @param channels the image channels
     * @throws IllegalArgumentException unless both have one positive-std entry per channel
     */
    static void checkNormalization(List<Double> mean, List<Double> std, int channels) {
        if (mean.size() != channels || std.size() != channels) {
            throw new IllegalArgumentException("mean and std need " + channels + " value" + (channels == 1 ? "" : "s")
                    + " (one per channel), got " + mean.size() + " and " + std.size());
        }
        if (std.stream().anyMatch(s -> !(s > 0))) {
            throw new IllegalArgumentException("std values must be > 0, got " + std);
        }
    }

    /**
     * @return the training images (validation is carved out of them)
     * @throws DataException if they cannot be read
     */
    protected abstract PixelData readTrain();

    /**
     * @return the test images
     * @throws DataException if they cannot be read
     */
    protected abstract PixelData readTest();

    @Override
    public final synchronized ImageSplit split(Split split) {
        if (loaded == null) {
            loaded = load();
        }
        return loaded.get(split);
    }

    /**
     * @param stored the images as the files hold them
     * @param size the side to resize them to, or 0 to keep them
     * @return the task of the images a data set with that {@code size} setting yields
     */
    static Task sized(Task stored, int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0 (0 keeps the stored " + stored.height() + "x" + stored.width()
                    + "), got " + size);
        }
        return size == 0 ? stored : new Task(stored.channels(), size, size, stored.classes(), stored.classNames());
    }

    private Map<Split, ImageSplit> load() {
        Task task = task();
        PixelData train = readTrain().resized(task.height(), task.width());
        PixelData test = readTest().resized(task.height(), task.width());
        if (!train.task().equals(task) || !test.task().equals(task)) {
            throw new DataException("the data read (" + train.task() + ") does not match the data set's settings (" + task + ")");
        }
        if (splits.validationSize() >= train.size()) {
            throw new DataException("validation-size " + splits.validationSize() + " leaves no training images out of "
                    + train.size());
        }
        int[] permutation = permutation(train.size(), new Random(splits.seed()));
        int validation = splits.validationSize();
        int remaining = train.size() - validation;
        int trainCount = splits.trainSize() == 0 ? remaining : Math.min(splits.trainSize(), remaining);
        int testCount = splits.testSize() == 0 ? test.size() : Math.min(splits.testSize(), test.size());
        int[] validationIndices = java.util.Arrays.copyOfRange(permutation, 0, validation);
        int[] trainIndices = java.util.Arrays.copyOfRange(permutation, validation, validation + trainCount);
        java.util.Arrays.sort(validationIndices);
        java.util.Arrays.sort(trainIndices);
        int[] testIndices = new int[testCount];
        for (int i = 0; i < testCount; i++) {
            testIndices[i] = i;
        }
        Map<Split, ImageSplit> result = new EnumMap<>(Split.class);
        result.put(Split.TRAIN, new InMemorySplit(train, trainIndices, mean, std, augmentation));
        result.put(Split.VALIDATION, new InMemorySplit(train, validationIndices, mean, std, null));
        result.put(Split.TEST, new InMemorySplit(test, testIndices, mean, std, null));
        return result;
    }

    private static int[] permutation(int n, Random random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}

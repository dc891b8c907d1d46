package dev.creamery.runtime.data;

import ai.djl.basicdataset.cv.classification.ImageFolder;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.dataset.Record;
import ai.djl.translate.TranslateException;
import dev.creamery.api.DataException;
import dev.creamery.api.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Images in a folder per class ({@code folder/<class>/*.jpg}), read with DJL's {@link ImageFolder},
 * resized to a square and held in memory as bytes. Class names are the sub-folder names in sorted
 * order. The test split is either a second folder of the same layout or images held out of the first.
 */
public final class ImageFolderData extends SplitDataSet {
    private final Settings settings;
    private PixelData all;

    /**
     * @param folder one sub-folder per class
     * @param testFolder a folder of the same layout for the test split, or empty to hold out {@code test-size} images of {@code folder}
     * @param classes the class sub-folder names (also fixes the label order)
     * @param size images are resized to {@code size x size}
     * @param channels 1 (grey) or 3 (RGB)
     * @param validationSize training images held out for validation
     * @param testSize images held out of {@code folder} for testing when there is no test folder
     * @param splitSeed seed of the held-out subsets
     * @param mean per-channel mean
     * @param std per-channel standard deviation
     * @param augment training augmentation
     */
    public record Settings(Path folder, String testFolder, List<String> classes, int size, int channels, int validationSize,
            int testSize, long splitSeed, List<Double> mean, List<Double> std, Augmentation augment) {
        /** Checks shape, classes and normalisation. */
        public Settings {
            if (channels != 1 && channels != 3) {
                throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
            }
            if (size < 1) {
                throw new IllegalArgumentException("size must be >= 1, got " + size);
            }
            if (classes.size() < 2) {
                throw new IllegalArgumentException("classes must list at least two class folder names, got " + classes);
            }
            if (testFolder.isEmpty() && testSize < 1) {
                throw new IllegalArgumentException("without a test-folder, test-size must be >= 1");
            }
            checkNormalization(mean, std, channels);
        }
    }

    /** @param settings the settings */
    public ImageFolderData(Settings settings) {
        super(new SplitSettings(settings.validationSize(), 0, 0, settings.splitSeed()), settings.mean(), settings.std(),
                settings.augment());
        this.settings = settings;
    }

    @Override
    public Task task() {
        return new Task(settings.channels(), settings.size(), settings.size(), settings.classes().size(), settings.classes());
    }

    @Override
    protected PixelData readTrain() {
        if (!settings.testFolder().isEmpty()) {
            return read(settings.folder());
        }
        return heldOut(false);
    }

    @Override
    protected PixelData readTest() {
        if (!settings.testFolder().isEmpty()) {
            return read(Path.of(settings.testFolder()));
        }
        return heldOut(true);
    }

    private PixelData heldOut(boolean test) {
        if (all == null) {
            all = read(settings.folder());
        }
        if (settings.testSize() >= all.size()) {
            throw new DataException("test-size " + settings.testSize() + " leaves no training images out of the " + all.size()
                    + " in " + settings.folder());
        }
        int[] order = new int[all.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(settings.splitSeed() + 1);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int from = test ? 0 : settings.testSize();
        int to = test ? settings.testSize() : all.size();
        int[] chosen = java.util.Arrays.copyOfRange(order, from, to);
        java.util.Arrays.sort(chosen);
        int pixels = settings.channels() * settings.size() * settings.size();
        byte[] bytes = new byte[chosen.length * pixels];
        int[] labels = new int[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            System.arraycopy(all.pixels(), chosen[i] * pixels, bytes, i * pixels, pixels);
            labels[i] = all.labels()[chosen[i]];
        }
        return new PixelData(task(), bytes, labels);
    }

    private PixelData read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new DataException("image folder " + folder + " does not exist; it needs one sub-folder per class "
                    + settings.classes());
        }
        for (String name : settings.classes()) {
            if (!Files.isDirectory(folder.resolve(name))) {
                throw new DataException("class folder " + folder.resolve(name) + " is missing (classes are " + settings.classes() + ")");
            }
        }
        ImageFolder dataset = ImageFolder.builder()
                .setRepositoryPath(folder)
                .optFlag(settings.channels() == 1 ? Image.Flag.GRAYSCALE : Image.Flag.COLOR)
                .optImageSize(settings.size())
                .setSampling(1, false)
                .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            dataset.prepare();
            List<String> found = dataset.getSynset();
            if (!found.equals(settings.classes())) {
                throw new DataException(folder + " has class folders " + found + " but the settings list " + settings.classes()
                        + "; make classes match the sub-folders (sorted)");
            }
            int count = Math.toIntExact(dataset.size());
            if (count == 0) {
                throw new DataException(folder + " holds no images");
            }
            int pixels = settings.channels() * settings.size() * settings.size();
            byte[] bytes = new byte[count * pixels];
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                try (NDManager step = manager.newSubManager()) {
                    Record record = dataset.get(step, i);
                    NDArray image = record.getData().singletonOrThrow();
                    NDArray chw = image.transpose(2, 0, 1).round().clip(0, 255).toType(DataType.UINT8, false);
                    System.arraycopy(chw.toByteArray(), 0, bytes, i * pixels, pixels);
                    labels[i] = (int) record.getLabels().singletonOrThrow().toType(DataType.INT64, false).getLong();
                }
            }
            return new PixelData(task(), bytes, labels);
        } catch (IOException | TranslateException e) {
            throw new DataException("cannot read the images in " + folder + ": " + e.getMessage(), e);
        }
    }
}

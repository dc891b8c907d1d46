package dev.creamery.runtime.data;

import dev.creamery.api.DataException;
import dev.creamery.api.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Zalando): 60,000 training and 10,000 test images, 28×28 grey, 10 classes, in IDX
 * files. The default folder is where Debian's {@code dataset-fashion-mnist} package installs them.
 */
public final class FashionMnist extends SplitDataSet {
    static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
            "Sneaker", "Bag", "Ankle boot");
    private static final Task TASK = new Task(1, 28, 28, 10, CLASSES);

    private final Path folder;
    private final Task task;

    /**
     * @param folder holds the IDX files
     * @param validationSize training images held out for validation
     * @param trainSize use at most this many training images (0: all)
     * @param testSize use at most this many test images (0: all)
     * @param splitSeed seed of the validation subset
     * @param mean pixel mean
     * @param std pixel standard deviation
     * @param augment training augmentation
     * @param size resize the images to {@code size x size} on loading (bilinear); 0 keeps them as stored
     */
    public record Settings(Path folder, int validationSize, int trainSize, int testSize, long splitSeed, List<Double> mean,
            List<Double> std, Augmentation augment, int size) {
        /** Checks the normalisation has one value per channel and the size is not negative. */
        public Settings {
            sized(TASK, size);
            checkNormalization(mean, std, 1);
        }
    }

    /** @param settings the settings */
    public FashionMnist(Settings settings) {
        super(new SplitSettings(settings.validationSize(), settings.trainSize(), settings.testSize(), settings.splitSeed()),
                settings.mean(), settings.std(), settings.augment());
        this.folder = settings.folder();
        this.task = sized(TASK, settings.size());
    }

    @Override
    public Task task() {
        return task;
    }

    @Override
    protected PixelData readTrain() {
        return read("train");
    }

    @Override
    protected PixelData readTest() {
        return read("t10k");
    }

    private PixelData read(String prefix) {
        Path images = find(prefix + "-images-idx3-ubyte");
        Path labels = find(prefix + "-labels-idx1-ubyte");
        IdxFiles.Content x = IdxFiles.read(images, 3);
        IdxFiles.Content y = IdxFiles.read(labels, 1);
        if (x.sizes()[1] != 28 || x.sizes()[2] != 28) {
            throw new DataException(images + " holds " + x.sizes()[1] + "x" + x.sizes()[2] + " images, not 28x28");
        }
        if (x.sizes()[0] != y.sizes()[0]) {
            throw new DataException(images + " has " + x.sizes()[0] + " images but " + labels + " has " + y.sizes()[0] + " labels");
        }
        int[] classes = new int[y.values().length];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = y.values()[i] & 0xFF;
            if (classes[i] >= 10) {
                throw new DataException(labels + " has label " + classes[i] + " at position " + i + "; Fashion-MNIST labels are 0-9");
            }
        }
        return new PixelData(TASK, x.values(), classes);
    }

    private Path find(String name) {
        for (String candidate : List.of(name + ".gz", name)) {
            Path file = folder.resolve(candidate);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        if (!Files.isDirectory(folder)) {
            throw new DataException("Fashion-MNIST folder " + folder + " does not exist; install the data with "
                    + "'apt-get install dataset-fashion-mnist' (Debian) or point data.folder at a folder holding "
                    + name + ".gz");
        }
        throw new DataException("Fashion-MNIST file " + name + ".gz is missing from " + folder
                + "; reinstall 'dataset-fashion-mnist' or download the four IDX files there");
    }
}

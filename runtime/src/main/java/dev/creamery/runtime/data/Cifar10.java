package dev.creamery.runtime.data;

import dev.creamery.api.DataException;
import dev.creamery.api.Task;
import dev.creamery.runtime.io.CorruptFileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 in its binary release ({@code cifar-10-batches-bin}): five training batches and one
 * test batch of 10,000 records, each a label byte followed by a 32×32 RGB image in CHW order.
 */
public final class Cifar10 extends SplitDataSet {
    private static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");
    private static final Task TASK = new Task(3, 32, 32, 10, CLASSES);
    private static final int RECORD = 1 + 3 * 32 * 32;
    private static final String REDOWNLOAD = "download the binary version again";

    private final Path folder;
    private final Task task;

    /**
     * @param folder holds {@code data_batch_1.bin} ... {@code test_batch.bin}
     * @param validationSize training images held out for validation
     * @param trainSize use at most this many training images (0: all)
     * @param testSize use at most this many test images (0: all)
     * @param splitSeed seed of the validation subset
     * @param mean per-channel mean
     * @param std per-channel standard deviation
     * @param augment training augmentation
     * @param size resize the images to {@code size x size} on loading (bilinear); 0 keeps them as stored
     */
    public record Settings(Path folder, int validationSize, int trainSize, int testSize, long splitSeed, List<Double> mean,
            List<Double> std, Augmentation augment, int size) {
        /** Checks the normalisation has one value per channel and the size is not negative. */
        public Settings {
            sized(TASK, size);
            checkNormalization(mean, std, 3);
        }
    }

    /** @param settings the settings */
    public Cifar10(Settings settings) {
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
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            files.add(folder.resolve("data_batch_" + i + ".bin"));
        }
        return read(files);
    }

    @Override
    protected PixelData readTest() {
        return read(List.of(folder.resolve("test_batch.bin")));
    }

    private PixelData read(List<Path> files) {
        long total = 0;
        List<Long> sizes = new ArrayList<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new DataException("CIFAR-10 file " + file + " is missing; download the binary version "
                        + "(cifar-10-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html), unpack it and point "
                        + "data.folder at its cifar-10-batches-bin folder");
            }
            long size = size(file);
            if (size == 0 || size % RECORD != 0) {
                throw new CorruptFileException(file, "has " + size + " bytes, not a whole number of " + RECORD + "-byte records (a label byte "
                        + "and 32x32x3 pixels)", REDOWNLOAD);
            }
            total += size;
            sizes.add(size);
        }
        // The batches and their pixels are held at once: check that before reading anything.
        long memory = Runtime.getRuntime().maxMemory();
        if (total > Integer.MAX_VALUE - 16 || 2 * total > memory) {
            throw new CorruptFileException(files.get(0).getParent(), "CIFAR-10 batches of " + total + " bytes in all, more than this process "
                    + "can hold (" + memory / (1 << 20) + " MB of heap); a batch of the release has 30730000 bytes",
                    "replace files that are not the release's, or raise -Xmx (CREAMERY_JAVA_OPTS)");
        }
        List<byte[]> contents = new ArrayList<>();
        int records = 0;
        for (int f = 0; f < files.size(); f++) {
            byte[] bytes = readAll(files.get(f), sizes.get(f));
            contents.add(bytes);
            records += bytes.length / RECORD;
        }
        byte[] pixels = new byte[records * (RECORD - 1)];
        int[] labels = new int[records];
        int r = 0;
        for (int f = 0; f < contents.size(); f++) {
            byte[] bytes = contents.get(f);
            for (int offset = 0; offset < bytes.length; offset += RECORD, r++) {
                labels[r] = bytes[offset] & 0xFF;
                if (labels[r] >= 10) {
                    throw new CorruptFileException(files.get(f), "has label " + labels[r] + " in record " + offset / RECORD
                            + " (CIFAR-10 labels are 0-9)", REDOWNLOAD);
                }
                System.arraycopy(bytes, offset + 1, pixels, r * (RECORD - 1), RECORD - 1);
            }
        }
        return new PixelData(TASK, pixels, labels);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new CorruptFileException(file, "cannot be read (" + e.getMessage() + ")", "check the file and its permissions", e);
        }
    }

    /** Reads the whole file, which must still have the size it was checked at. */
    private static byte[] readAll(Path file, long size) {
        byte[] bytes = new byte[(int) size];
        try (InputStream in = Files.newInputStream(file)) {
            int read = in.readNBytes(bytes, 0, bytes.length);
            if (read != bytes.length || in.read() != -1) {
                throw new CorruptFileException(file, "changed while it was read", "read it again when nothing is writing it");
            }
            return bytes;
        } catch (IOException e) {
            throw new CorruptFileException(file, "cannot be read (" + e.getMessage() + ")", "check the file and its permissions", e);
        }
    }
}

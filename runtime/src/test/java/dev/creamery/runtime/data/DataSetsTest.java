package dev.creamery.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creamery.api.DataException;
import dev.creamery.api.ImageSplit;
import dev.creamery.api.Split;
import dev.creamery.api.Task;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSetsTest {
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    private static final Augmentation FLIP_CROP = new Augmentation(2, true);

    @TempDir
    Path dir;

    private static FashionMnist fashion(Path folder) {
        return new FashionMnist(new FashionMnist.Settings(folder, 5000, 0, 0, 0, List.of(0.2860), List.of(0.3530), FLIP_CROP, 0));
    }

    /**
     * The real files, where the Debian package has put them (CI and the quick start install it). On a
     * machine without them this one test says so and stands aside; every other test of the IDX
     * reader runs on files it writes itself.
     */
    @Test
    void readsFashionMnistFromTheDebianPackage() {
        if (!Files.isDirectory(FASHION)) {
            System.err.println("DataSetsTest: " + FASHION + " is not installed (apt-get install dataset-fashion-mnist); "
                    + "the check of the real files is skipped");
        }
        Assumptions.assumeTrue(Files.isDirectory(FASHION), FASHION + " is not installed (apt-get install dataset-fashion-mnist)");
        FashionMnist data = fashion(FASHION);
        assertThat(data.split(Split.TRAIN).size()).isEqualTo(55_000);
        assertThat(data.split(Split.VALIDATION).size()).isEqualTo(5_000);
        assertThat(data.split(Split.TEST).size()).isEqualTo(10_000);
        ImageSplit test = data.split(Split.TEST);
        int[] counts = new int[10];
        double sum = 0;
        double squares = 0;
        float[] image = new float[784];
        for (int i = 0; i < test.size(); i++) {
            counts[test.label(i)]++;
            test.read(i, image, 0, null);
            for (float v : image) {
                sum += v;
                squares += v * v;
            }
        }
        assertThat(counts).containsOnly(1000);
        double mean = sum / (784.0 * test.size());
        assertThat(mean).isBetween(-0.05, 0.05);
        assertThat(Math.sqrt(squares / (784.0 * test.size()) - mean * mean)).isBetween(0.9, 1.1);
        assertThat(test.task().classNames()).startsWith("T-shirt/top", "Trouser");
    }

    @Test
    void missingFolderSaysHowToInstall() {
        assertThatThrownBy(() -> fashion(dir.resolve("absent")).split(Split.TRAIN)).isInstanceOf(DataException.class)
                .hasMessageContaining("absent").hasMessageContaining("apt-get install dataset-fashion-mnist");
    }

    @Test
    void corruptIdxFilesAreNamed() throws IOException {
        writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), new int[] {0x803, 4, 28, 28}, new byte[4 * 784 - 10]);
        writeIdx(dir.resolve("train-labels-idx1-ubyte.gz"), new int[] {0x801, 4}, new byte[4]);
        assertThatThrownBy(() -> fashion(dir).split(Split.TRAIN)).isInstanceOf(DataException.class)
                .hasMessageContaining("train-images-idx3-ubyte.gz").hasMessageContaining("truncated download");
        writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), new int[] {0x1234, 4, 28, 28}, new byte[4 * 784]);
        assertThatThrownBy(() -> fashion(dir).split(Split.TRAIN)).hasMessageContaining("not an IDX file");
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), new byte[] {1, 2, 3, 4, 5});
        assertThatThrownBy(() -> fashion(dir).split(Split.TRAIN)).hasMessageContaining("is not gzip data");
    }

    @Test
    void augmentationReplaysFromItsSeedAndChangesImages() throws IOException {
        writeFashion(dir, 12, 4, new Random(5));
        ImageSplit train = new FashionMnist(new FashionMnist.Settings(dir, 2, 0, 0, 0, List.of(0.2860), List.of(0.3530), FLIP_CROP, 0))
                .split(Split.TRAIN);
        float[] a = new float[784];
        float[] b = new float[784];
        float[] plain = new float[784];
        train.read(7, a, 0, new Random(99));
        train.read(7, b, 0, new Random(99));
        train.read(7, plain, 0, null);
        assertThat(a).containsExactly(b);
        boolean differs = false;
        for (long seed = 0; seed < 5 && !differs; seed++) {
            train.read(7, b, 0, new Random(seed));
            differs = !java.util.Arrays.equals(b, plain);
        }
        assertThat(differs).isTrue();
    }

    @Test
    void resizesBilinearlyWithAlignedPixelCentres() {
        // 2x2 -> 4x3: source rows sampled at -0.25 (clamped), 0.25, 0.75, 1.25 (clamped), columns at -1/6, 1/2, 7/6.
        PixelData one = new PixelData(new Task(1, 2, 2, 1, List.of("a")), new byte[] {0, 100, (byte) 200, (byte) 255}, new int[] {0});
        PixelData big = one.resized(4, 3);
        int[] values = new int[12];
        for (int i = 0; i < 12; i++) {
            values[i] = big.pixels()[i] & 0xFF;
        }
        assertThat(values).containsExactly(0, 50, 100, 50, 94, 139, 150, 183, 216, 200, 228, 255);
        assertThat(big.task()).isEqualTo(new Task(1, 4, 3, 1, List.of("a")));
    }

    @Test
    void resizesADataSetOnLoading() throws IOException {
        writeCifarRelease(4, 4);
        Cifar10 data = cifar(2, new Augmentation(0, false), 48);
        assertThat(data.task().inputShape(1).getShape()).containsExactly(1, 3, 48, 48);
        ImageSplit test = data.split(Split.TEST);
        assertThat(test.task()).isEqualTo(data.task());
        float[] image = new float[3 * 48 * 48];
        test.read(0, image, 0, null);
        float[] stored = new float[3 * 32 * 32];
        cifar(2, new Augmentation(0, false), 0).split(Split.TEST).read(0, stored, 0, null);
        // Corner pixels sample the stored corners exactly (their sources are clamped to the edge).
        assertThat(image[0]).isEqualTo(stored[0]);
        assertThat(image[48 * 48 - 1]).isEqualTo(stored[32 * 32 - 1]);
        assertThatThrownBy(() -> cifar(2, new Augmentation(0, false), -1)).hasMessageContaining("size must be >= 0");
    }

    @Test
    void readsCifar10BinaryBatches() throws IOException {
        writeCifarRelease(20, 10);
        Cifar10 data = cifar(10, new Augmentation(4, true), 0);
        assertThat(data.split(Split.TRAIN).size()).isEqualTo(90);
        assertThat(data.split(Split.VALIDATION).size()).isEqualTo(10);
        assertThat(data.split(Split.TEST).size()).isEqualTo(10);
        assertThat(data.split(Split.TEST).label(3)).isEqualTo(3 % 10);
        Files.write(dir.resolve("test_batch.bin"), new byte[100]);
        Cifar10 broken = cifar(10, new Augmentation(0, false), 0);
        assertThatThrownBy(() -> broken.split(Split.TEST)).hasMessageContaining("test_batch.bin").hasMessageContaining("not a whole number of 3073-byte records");
    }

    @Test
    void readsAnImageFolder() throws IOException {
        for (String name : List.of("circles", "squares")) {
            Files.createDirectories(dir.resolve(name));
            for (int i = 0; i < 6; i++) {
                BufferedImage image = new BufferedImage(20, 16, BufferedImage.TYPE_INT_RGB);
                var g = image.createGraphics();
                g.setColor(name.equals("circles") ? Color.RED : Color.BLUE);
                g.fillRect(0, 0, 20, 16);
                g.dispose();
                ImageIO.write(image, "png", dir.resolve(name + "/" + i + ".png").toFile());
            }
        }
        ImageFolderData data = new ImageFolderData(new ImageFolderData.Settings(dir, "", List.of("circles", "squares"), 8, 3, 2, 2, 0,
                List.of(0.5, 0.5, 0.5), List.of(0.5, 0.5, 0.5), new Augmentation(0, false)));
        assertThat(data.split(Split.TRAIN).size()).isEqualTo(8);
        assertThat(data.split(Split.TEST).size()).isEqualTo(2);
        ImageSplit train = data.split(Split.TRAIN);
        float[] pixels = new float[3 * 8 * 8];
        for (int i = 0; i < train.size(); i++) {
            train.read(i, pixels, 0, null);
            boolean red = train.label(i) == 0;
            assertThat(pixels[0]).as("red channel").isCloseTo(red ? 1f : -1f, org.assertj.core.data.Offset.offset(0.02f));
            assertThat(pixels[2 * 64]).as("blue channel").isCloseTo(red ? -1f : 1f, org.assertj.core.data.Offset.offset(0.02f));
        }
        ImageFolderData wrong = new ImageFolderData(new ImageFolderData.Settings(dir, "", List.of("circles", "triangles"), 8, 3, 2,
                2, 0, List.of(0.5, 0.5, 0.5), List.of(0.5, 0.5, 0.5), new Augmentation(0, false)));
        assertThatThrownBy(() -> wrong.split(Split.TRAIN)).hasMessageContaining("triangles");
    }

    @Test
    void syntheticDataIsDeterministic() {
        SyntheticData.Settings settings = new SyntheticData.Settings(1, 6, 3, 60, 20, 20, 0.2, 5, new Augmentation(0, false));
        ImageSplit a = new SyntheticData(settings).split(Split.TEST);
        ImageSplit b = new SyntheticData(settings).split(Split.TEST);
        float[] x = new float[36];
        float[] y = new float[36];
        for (int i = 0; i < a.size(); i++) {
            a.read(i, x, 0, null);
            b.read(i, y, 0, null);
            assertThat(x).containsExactly(y);
            assertThat(a.label(i)).isEqualTo(b.label(i));
        }
    }

    /** Writes a Fashion-MNIST release of random 28x28 images: the four IDX files, gzip-compressed, as the package has them. */
    private static void writeFashion(Path folder, int train, int test, Random random) throws IOException {
        for (String split : List.of("train", "t10k")) {
            int n = split.equals("train") ? train : test;
            byte[] pixels = new byte[n * 784];
            random.nextBytes(pixels);
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                labels[i] = (byte) (i % 10);
            }
            writeIdx(folder.resolve(split + "-images-idx3-ubyte.gz"), new int[] {0x803, n, 28, 28}, pixels);
            writeIdx(folder.resolve(split + "-labels-idx1-ubyte.gz"), new int[] {0x801, n}, labels);
        }
    }

    private static void writeIdx(Path file, int[] header, byte[] data) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file)); DataOutputStream d = new DataOutputStream(out)) {
            for (int h : header) {
                d.writeInt(h);
            }
            d.write(data);
        }
    }

    private Cifar10 cifar(int validationSize, Augmentation augmentation, int size) {
        return new Cifar10(new Cifar10.Settings(dir, validationSize, 0, 0, 0, List.of(0.5, 0.5, 0.5), List.of(0.2, 0.2, 0.2),
                augmentation, size));
    }

    /** Five training batches and a test batch of random records, labels counting 0-9. */
    private void writeCifarRelease(int perTrainingBatch, int test) throws IOException {
        byte[] record = new byte[3073];
        for (int i = 1; i <= 5; i++) {
            writeCifar(dir.resolve("data_batch_" + i + ".bin"), perTrainingBatch, record, i);
        }
        writeCifar(dir.resolve("test_batch.bin"), test, record, 9);
    }

    private static void writeCifar(Path file, int records, byte[] record, int seed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Random random = new Random(seed);
        for (int r = 0; r < records; r++) {
            random.nextBytes(record);
            record[0] = (byte) (r % 10);
            out.write(record);
        }
        Files.write(file, out.toByteArray());
    }
}

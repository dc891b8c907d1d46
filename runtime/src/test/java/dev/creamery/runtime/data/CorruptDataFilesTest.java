package dev.creamery.runtime.data;

import static dev.creamery.runtime.Commands.creamery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creamery.api.Split;
import dev.creamery.runtime.Commands.Result;
import dev.creamery.runtime.Jobs;
import dev.creamery.runtime.io.CorruptFileException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX and CIFAR-10 files that lie: each is refused with one sentence naming the file, before anything large is allocated. */
class CorruptDataFilesTest {
    private static final String REDOWNLOAD = "; re-download or reinstall it";

    @TempDir
    Path dir;

    private static byte[] idx(int[] header, int values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (int h : header) {
                out.writeInt(h);
            }
            out.write(new byte[values]);
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    /** Valid labels, so the images are what fails. */
    private void labels(String suffix) throws IOException {
        byte[] labels = idx(new int[] {0x801, 4}, 4);
        Files.write(dir.resolve("train-labels-idx1-ubyte" + suffix), suffix.isEmpty() ? labels : gzip(labels));
    }

    private Path images(String suffix, byte[] content) throws IOException {
        return Files.write(dir.resolve("train-images-idx3-ubyte" + suffix), content);
    }

    private void assertRefused(Path file, String message) {
        FashionMnist data = new FashionMnist(new FashionMnist.Settings(dir, 1, 0, 0, 0, List.of(0.3), List.of(0.3),
                new Augmentation(0, false), 0));
        assertThatThrownBy(() -> data.split(Split.TRAIN)).isInstanceOf(CorruptFileException.class).hasMessage(file + ": " + message);
    }

    @Test
    void idxWithTheWrongMagicIsRefused() throws IOException {
        labels("");
        Path file = images("", idx(new int[] {0x0D03, 4, 28, 28}, 4 * 784));
        assertRefused(file, "not an IDX file of 3-d unsigned bytes (magic 0x00000d03, expected 0x00000803)" + REDOWNLOAD);
    }

    @Test
    void truncatedIdxIsRefusedFromItsSize() throws IOException {
        labels("");
        Path plain = images("", idx(new int[] {0x803, 4, 28, 28}, 1000));
        assertRefused(plain, "declares 4 x 28 x 28 = 3136 values but holds 1000 bytes after its header (truncated download?)" + REDOWNLOAD);
        Path header = images("", new byte[] {0, 0, 8, 3, 0, 0});
        assertRefused(header, "ends early, inside its header (truncated download?)" + REDOWNLOAD);
        Files.delete(header);
        labels(".gz");
        Path compressed = images(".gz", gzip(idx(new int[] {0x803, 4, 28, 28}, 1000)));
        assertRefused(compressed, "declares 4 x 28 x 28 = 3136 values but ends after 1000 (truncated download?)" + REDOWNLOAD);
        byte[] whole = gzip(idx(new int[] {0x803, 4, 28, 28}, 4 * 784));
        Path cut = images(".gz", java.util.Arrays.copyOf(whole, whole.length / 2));
        assertRefused(cut, "ends early, inside its compressed data (truncated download?)" + REDOWNLOAD);
    }

    @Test
    void idxDimensionsThatOverflowOrExceedMemoryAreRefusedBeforeAllocating() throws IOException {
        labels("");
        Path overflow = images("", idx(new int[] {0x803, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}, 16));
        assertRefused(overflow, "declares dimensions whose product overflows" + REDOWNLOAD);
        Path vast = images("", idx(new int[] {0x803, 60000, 28000, 28000}, 16));
        assertRefused(vast, "declares 60000 x 28000 x 28000 = 47040000000000 values but holds 16 bytes after its header (truncated "
                + "download?)" + REDOWNLOAD);
        Files.delete(vast);
        labels(".gz");
        // Compressed, the size cannot be checked against the file: against the memory there is.
        Path lying = images(".gz", gzip(idx(new int[] {0x803, 60000, 28000, 28000}, 16)));
        assertRefused(lying, "declares 60000 x 28000 x 28000 = 47040000000000 values, more than this process can hold ("
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB of heap); the file is corrupt, or raise -Xmx (CREAMERY_JAVA_OPTS) "
                + "for a data set that large");
        Path negative = images(".gz", gzip(idx(new int[] {0x803, 4, -28, 28}, 16)));
        assertRefused(negative, "declares a dimension of size -28" + REDOWNLOAD);
    }

    @Test
    void gzThatIsNotGzipIsRefused() throws IOException {
        labels(".gz");
        Path file = images(".gz", idx(new int[] {0x803, 4, 28, 28}, 4 * 784));
        assertRefused(file, "is not gzip data although its name ends in .gz (Not in GZIP format)" + REDOWNLOAD);
        byte[] damaged = gzip(idx(new int[] {0x803, 4, 28, 28}, 4 * 784));
        damaged[damaged.length - 5] ^= 0x55;
        Path trailer = images(".gz", damaged);
        assertRefused(trailer, "is not valid gzip data (Corrupt GZIP trailer)" + REDOWNLOAD);
    }

    private Cifar10 cifar() {
        return new Cifar10(new Cifar10.Settings(dir, 1, 0, 0, 0, List.of(0.5, 0.5, 0.5), List.of(0.2, 0.2, 0.2),
                new Augmentation(0, false), 0));
    }

    private void cifarRelease(int records) throws IOException {
        for (int i = 1; i <= 5; i++) {
            Files.write(dir.resolve("data_batch_" + i + ".bin"), new byte[records * 3073]);
        }
        Files.write(dir.resolve("test_batch.bin"), new byte[records * 3073]);
    }

    @Test
    void cifarBatchesThatAreCutShortOrMislabelledAreRefused() throws IOException {
        cifarRelease(2);
        Path cut = Files.write(dir.resolve("data_batch_3.bin"), new byte[3073 + 100]);
        assertThatThrownBy(() -> cifar().split(Split.TRAIN)).isInstanceOf(CorruptFileException.class).hasMessage(cut
                + ": has 3173 bytes, not a whole number of 3073-byte records (a label byte and 32x32x3 pixels); download the binary "
                + "version again");
        byte[] labelled = new byte[2 * 3073];
        labelled[3073] = 10;
        Path wrong = Files.write(dir.resolve("data_batch_3.bin"), labelled);
        assertThatThrownBy(() -> cifar().split(Split.TRAIN)).isInstanceOf(CorruptFileException.class).hasMessage(wrong
                + ": has label 10 in record 1 (CIFAR-10 labels are 0-9); download the binary version again");
    }

    @Test
    void cifarBatchesTooLargeForMemoryAreRefusedBeforeReading() throws IOException {
        cifarRelease(1);
        long memory = Runtime.getRuntime().maxMemory();
        long records = memory / 3073 / 2 + 1;
        try (var file = java.nio.channels.FileChannel.open(dir.resolve("data_batch_1.bin"), java.nio.file.StandardOpenOption.WRITE)) {
            file.truncate(0);
            file.write(java.nio.ByteBuffer.wrap(new byte[1]), records * 3073 - 1); // sparse: nothing is really written
        }
        long total = records * 3073 + 4 * 3073;
        assertThatThrownBy(() -> cifar().split(Split.TRAIN)).isInstanceOf(CorruptFileException.class).hasMessage(dir + ": CIFAR-10 "
                + "batches of " + total + " bytes in all, more than this process can hold (" + memory / (1 << 20) + " MB of heap); a batch "
                + "of the release has 30730000 bytes; replace files that are not the release's, or raise -Xmx (CREAMERY_JAVA_OPTS)");
    }

    @Test
    void aCorruptDataFileEndsTheCommandWithOneSentenceAndWritesNothing() throws IOException {
        labels("");
        Path file = images("", idx(new int[] {0x803, 4, 28, 28}, 1000));
        Path job = Jobs.write(dir, "fashion.conf", "job { compute { device = cpu, threads = 1 }\n"
                + "data { type = fashion-mnist, folder = \"" + dir + "\", validation-size = 1 }\n"
                + "model = tiny-mlp-s, training { epochs = 1 } }");
        Path out = dir.resolve("run");
        Result result = creamery("train", job.toString(), "--out", out.toString());
        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("error: " + file + ": declares 4 x 28 x 28 = 3136 values but holds 1000 bytes after its "
                + "header (truncated download?)" + REDOWNLOAD + System.lineSeparator());
        assertThat(out).doesNotExist();
    }
}

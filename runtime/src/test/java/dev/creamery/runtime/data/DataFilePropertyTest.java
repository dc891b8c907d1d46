package dev.creamery.runtime.data;

import static dev.creamery.testkit.Generated.bytes;
import static dev.creamery.testkit.Generated.check;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creamery.api.Split;
import dev.creamery.runtime.Mutations;
import dev.creamery.runtime.io.CorruptFileException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Whatever bytes an IDX file (plain or gzip) or a CIFAR-10 batch holds, reading it gives its
 * values or one {@link CorruptFileException} naming it, and never allocates more than the file backs.
 */
class DataFilePropertyTest {
    private static final byte[] IDX = idx();
    private static final byte[] IDX_GZ = gzip(IDX);

    private static byte[] idx() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (int h : new int[] {0x803, 3, 4, 5}) {
                out.writeInt(h);
            }
            for (int i = 0; i < 60; i++) {
                out.write(i);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void readsOrRefuses(String name, byte[] bytes) {
        Path file = Mutations.file(name, bytes);
        try {
            IdxFiles.Content content = IdxFiles.read(file, 3);
            long total = (long) content.sizes()[0] * content.sizes()[1] * content.sizes()[2];
            assertThat(content.values()).hasSize((int) total);
        } catch (CorruptFileException e) {
            assertThat(e.getMessage()).startsWith(file + ": ").doesNotContain("\n");
        }
    }

    @Test
    void randomBytesAreReadOrRefused() {
        check(300, random -> bytes(random, 0, 200), bytes -> {
            readsOrRefuses("random-idx3-ubyte", bytes);
            readsOrRefuses("random-idx3-ubyte.gz", bytes);
        });
    }

    @Test
    void mutationsOfAValidIdxFileAreReadOrRefused() {
        check(500, random -> Mutations.mutations(random, 16), mutations -> {
            byte[] plain = Mutations.apply(IDX, mutations);
            readsOrRefuses("mutated-idx3-ubyte", plain);
            readsOrRefuses("mutated-idx3-ubyte.gz", gzip(plain));
        });
    }

    @Test
    void mutationsOfValidGzipAreReadOrRefused() {
        check(500, random -> Mutations.mutations(random, 16),
                mutations -> readsOrRefuses("mutated-gzip-idx3-ubyte.gz", Mutations.apply(IDX_GZ, mutations)));
    }

    @Test
    void mutationsOfACifarBatchAreReadOrRefused() {
        check(200, random -> Mutations.mutations(random, 3073 * 2), DataFilePropertyTest::cifarBatchIsReadOrRefused);
    }

    private static void cifarBatchIsReadOrRefused(List<Mutations.Mutation> mutations) {
        byte[] batch = new byte[3 * 3073];
        for (int r = 0; r < 3; r++) {
            batch[r * 3073] = (byte) r;
        }
        for (int i = 1; i <= 5; i++) {
            Mutations.file("cifar/data_batch_" + i + ".bin", batch);
        }
        Path test = Mutations.file("cifar/test_batch.bin", Mutations.apply(batch, mutations));
        Cifar10 data = new Cifar10(new Cifar10.Settings(test.getParent(), 1, 0, 0, 0, List.of(0.5, 0.5, 0.5), List.of(0.2, 0.2, 0.2),
                new Augmentation(0, false), 0));
        try {
            assertThat(data.split(Split.TEST).size()).isPositive();
        } catch (CorruptFileException e) {
            assertThat(e.getMessage()).startsWith(test + ": ").doesNotContain("\n");
        }
    }
}

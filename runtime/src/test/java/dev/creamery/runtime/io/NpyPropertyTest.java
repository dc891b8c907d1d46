package dev.creamery.runtime.io;

import static dev.creamery.testkit.Generated.bytes;
import static dev.creamery.testkit.Generated.check;
import static dev.creamery.testkit.Generated.intBetween;
import static dev.creamery.testkit.Generated.list;
import static dev.creamery.testkit.Generated.oneOf;
import static dev.creamery.testkit.Generated.pick;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.creamery.runtime.Mutations;
import dev.creamery.runtime.io.CorruptFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Whatever bytes a {@code .npy} file holds, reading it gives its float32 array or one {@link CorruptFileException} naming it. */
class NpyPropertyTest {
    private static NDManager manager;
    private static byte[] valid;

    @BeforeAll
    static void writeAValidFile() throws IOException {
        manager = NDManager.newBaseManager();
        Path file = Mutations.file("valid.npy", new byte[0]);
        Npy.write(file, manager.randomNormal(new Shape(2, 1, 3, 3)));
        valid = Files.readAllBytes(file);
    }

    @AfterAll
    static void closeTheManager() {
        manager.close();
    }

    private static void readsOrRefuses(byte[] bytes) {
        Path file = Mutations.file("candidate.npy", bytes);
        try (NDManager scope = manager.newSubManager()) {
            NDArray array = Npy.read(file, scope);
            assertThat(array.getShape().size() * 4).isLessThanOrEqualTo(bytes.length);
        } catch (CorruptFileException e) {
            assertThat(e.getMessage()).startsWith(file + ": ").doesNotContain("\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void randomBytesAreReadOrRefused() {
        check(300, random -> bytes(random, 0, 200), NpyPropertyTest::readsOrRefuses);
    }

    @Test
    void mutationsOfAValidFileAreReadOrRefused() {
        check(500, random -> Mutations.mutations(random, 128), mutations -> readsOrRefuses(Mutations.apply(valid, mutations)));
    }

    private static final String[] KEYS = {"'descr'", "'fortran_order'", "'shape'", "\"shape\"", "'extra'", "descr", "''"};
    private static final String[] VALUES = {"'<f4'", "'<f8'", "'|u1'", "'>f4'", "True", "False", "(2, 3)", "(6,)", "()", "(2,3,)",
            "(-1,)", "(99999999999999999999,)", "[('a', '<f4')]", "(1, (2,))", "'", "(", "{", "None", "1.5", "'a\\'b'"};

    /** A file with a header a writer might make, or a dictionary of likely keys and values, and up to 64 bytes of data. */
    private static byte[] file(SplittableRandom random) {
        String header = oneOf(random,
                dictionary -> "{" + String.join(", ", list(dictionary, 0, 4, entry -> pick(entry, KEYS) + ": " + pick(entry, VALUES))) + "}",
                likely -> "{'descr': " + pick(likely, VALUES) + ", 'fortran_order': " + pick(likely, "False", "True", "0") + ", 'shape': "
                        + pick(likely, VALUES) + ", }");
        int major = intBetween(random, 1, 3);
        int data = intBetween(random, 0, 64);
        byte[] text = (header + "\n").getBytes(StandardCharsets.UTF_8);
        int prefix = major == 1 ? 10 : 12;
        ByteBuffer bytes = ByteBuffer.allocate(prefix + text.length + data).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            bytes.putShort((short) text.length);
        } else {
            bytes.putInt(text.length);
        }
        return bytes.put(text).array();
    }

    @Test
    void generatedHeadersAreReadOrRefused() {
        check(1000, NpyPropertyTest::file, NpyPropertyTest::readsOrRefuses);
    }
}

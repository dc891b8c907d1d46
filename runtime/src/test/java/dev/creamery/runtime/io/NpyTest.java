package dev.creamery.runtime.io;

import static dev.creamery.runtime.Commands.creamery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.creamery.runtime.Commands.Result;
import dev.creamery.runtime.io.CorruptFileException;
import dev.creamery.runtime.model.ModelResolver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code .npy} inputs that are not one float32 C-order array of their size: refused naming the file. */
class NpyTest {
    private static final String RESAVE = "; save it with numpy.save(file, x.astype('<f4'))";

    @TempDir
    Path dir;

    /** A version 1.0 file with this header dictionary and {@code data} zero bytes. */
    private Path npy(String name, String dictionary, int data) throws IOException {
        byte[] header = (dictionary + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer bytes = ByteBuffer.allocate(10 + header.length + data).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length).put(header);
        return Files.write(dir.resolve(name), bytes.array());
    }

    private void assertRefused(Path file, String problem, String remedy) {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> Npy.read(file, manager)).isInstanceOf(CorruptFileException.class)
                    .hasMessage(file + ": " + problem + remedy);
        }
    }

    @Test
    void roundTripsAFloat32Batch() throws Exception {
        Path file = dir.resolve("x.npy");
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(3, 1, 8, 8));
            Npy.write(file, x);
            assertThat(Files.size(file) - 3 * 64 * 4).isEqualTo(128); // the header is padded to 64 bytes, as numpy pads it
            assertThat(Npy.read(file, manager).toFloatArray()).containsExactly(x.toFloatArray());
            Npy.write(file, manager.create(new float[] {1, 2}));
            assertThat(new String(Files.readAllBytes(file), 10, 60, StandardCharsets.ISO_8859_1)).contains("'shape': (2,), }");
        }
    }

    @Test
    void refusesTheWrongDtype() throws Exception {
        assertRefused(npy("f8.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1, 8, 8), }", 2 * 64 * 8),
                "holds float64 values (descr '<f8'); Creamery reads float32 ('<f4')", RESAVE);
        assertRefused(npy("big.npy", "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", 8),
                "holds big-endian float32 values (descr '>f4'); Creamery reads float32 ('<f4')", RESAVE);
        assertRefused(npy("rec.npy", "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", 8),
                "holds a structured array (descr a list of 1); Creamery reads one float32 array", RESAVE);
    }

    @Test
    void refusesFortranOrder() throws Exception {
        assertRefused(npy("f.npy", "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 1, 8, 8), }", 2 * 64 * 4),
                "holds its array in Fortran (column-major) order; Creamery reads C order",
                "; save it with numpy.save(file, np.ascontiguousarray(x, dtype='<f4'))");
    }

    @Test
    void refusesATruncatedFile() throws Exception {
        assertRefused(npy("cut.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1, 8, 8), }", 100),
                "declares shape (2, 1, 8, 8) of float32 (512 bytes) but holds 100 bytes after its header (truncated?)", RESAVE);
        assertRefused(Files.write(dir.resolve("stub.npy"), new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 100, 0, '{'}),
                "ends inside its header (truncated?)", RESAVE);
        assertRefused(npy("vast.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", 0),
                "declares shape (4294967296, 4294967296), whose size overflows", RESAVE);
    }

    @Test
    void refusesABadHeader() throws Exception {
        assertRefused(Files.writeString(dir.resolve("text.npy"), "just some text"),
                "not a .npy file (it does not start with \\x93NUMPY)", RESAVE);
        assertRefused(npy("keys.npy", "{'descr': '<f4', 'shape': (2,), }", 8),
                "its header has the keys [descr, shape]; a .npy header has exactly descr, fortran_order and shape", RESAVE);
        assertRefused(npy("open.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2,", 8),
                "its header is not a .npy header dictionary (it ends where ')' should be)", RESAVE);
        assertRefused(npy("minus.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", 8),
                "its header's shape is (-2,), not a tuple of sizes", RESAVE);
        assertRefused(npy("digits.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,), }", 8),
                "its header is not a .npy header dictionary ('99999999999999999999' at character 51 is not a whole number that fits in "
                + "64 bits)", RESAVE);
        byte[] version = Files.readAllBytes(npy("v9.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 8));
        version[6] = 9;
        assertRefused(Files.write(dir.resolve("v9.npy"), version),
                "a .npy file of format version 9.0, which Creamery does not read (it reads 1.0, 2.0 and 3.0)", RESAVE);
        byte[] huge = Files.readAllBytes(npy("long.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 8));
        huge[6] = 2;
        ByteBuffer.wrap(huge, 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(Integer.MIN_VALUE);
        assertRefused(Files.write(dir.resolve("long.npy"), huge),
                "declares a header of 2147483648 bytes, more than the 10000 a .npy header may have", RESAVE);
    }

    @Test
    void predictRefusesBadInputsNamingTheFileWithStatusTwo() throws Exception {
        Path weights = dir.resolve("w.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            Safetensors.write(weights, dev.creamery.api.StateDict.tensors(new ModelResolver(dev.creamery.runtime.Jobs.registry())
                    .resolve("tiny-mlp-s").build(manager)));
        }
        Path f8 = npy("f8.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1, 8, 8), }", 2 * 64 * 8);
        Path rank = npy("rank2.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 64), }", 2 * 64 * 4);
        Path out = dir.resolve("y.npy");
        Result dtype = creamery("predict", "--model", "tiny-mlp-s", "--weights", weights.toString(), "--input", f8.toString(), "--output",
                out.toString());
        assertThat(dtype.status()).isEqualTo(2);
        assertThat(dtype.err()).isEqualTo("error: " + f8 + ": holds float64 values (descr '<f8'); Creamery reads float32 ('<f4')" + RESAVE
                + System.lineSeparator());
        Result shape = creamery("predict", "--model", "tiny-mlp-s", "--weights", weights.toString(), "--input", rank.toString(),
                "--output", out.toString());
        assertThat(shape.status()).isEqualTo(2);
        assertThat(shape.err()).isEqualTo("error: " + rank + ": expected a float32 array of shape (N, 1, 8, 8) for tiny-mlp-s, got "
                + "float32 (2, 64); save the batch in that shape" + System.lineSeparator());
        assertThat(out).doesNotExist();
    }
}

package dev.creamery.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.StringJoiner;

/** Reads and writes NumPy {@code .npy} files of one array (float32 for writing). */
public final class Npy {
    private Npy() {}

    /**
     * @param file a {@code .npy} file
     * @param manager owns the array
     * @return its array
     * @throws IOException if it is not a readable {@code .npy} file
     */
    public static NDArray read(Path file, NDManager manager) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(6);
            if (magic.length < 6 || (magic[0] & 0xFF) != 0x93 || magic[1] != 'N' || magic[2] != 'U' || magic[3] != 'M') {
                throw new IOException(file + " is not a .npy file (no NUMPY magic)");
            }
        }
        try (InputStream in = Files.newInputStream(file)) {
            return NDList.decode(manager, in).singletonOrThrow();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IOException(file + " is not a readable .npy file: " + e.getMessage(), e);
        }
    }

    /**
     * Writes a float32 array atomically.
     *
     * @param file the target
     * @param array the values
     * @throws IOException if it cannot be written
     */
    public static void write(Path file, NDArray array) throws IOException {
        NDArray values = array.toType(DataType.FLOAT32, false);
        StringJoiner shape = new StringJoiner(", ", "(", array.getShape().dimension() == 1 ? ",)" : ")");
        for (long d : values.getShape().getShape()) {
            shape.add(Long.toString(d));
        }
        String header = String.format(Locale.ROOT, "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }", shape);
        int total = 10 + header.length() + 1;
        int padding = (64 - total % 64) % 64;
        header = header + " ".repeat(padding) + "\n";
        Path parent = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(parent, file.getFileName().toString(), ".part");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
                out.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length()).array());
                out.write(header.getBytes(StandardCharsets.ISO_8859_1));
                // The engine's bytes are in native order, which on the supported platforms is '<'.
                out.write(values.toByteArray());
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}

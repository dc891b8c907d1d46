package dev.creamery.runtime.data;

import dev.creamery.api.DataException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reads the IDX format of MNIST and Fashion-MNIST (optionally gzip-compressed). */
final class IdxFiles {
    private static final int UBYTE = 0x08;

    private IdxFiles() {}

    /**
     * @param file an IDX file of unsigned bytes
     * @param dimensions the expected number of dimensions (1 for labels, 3 for images)
     * @return the dimension sizes followed by the data
     */
    static Content read(Path file, int dimensions) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
                DataInputStream data = new DataInputStream(in)) {
            int magic = data.readInt();
            if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xFF) != UBYTE || (magic & 0xFF) != dimensions) {
                throw new DataException(file + " is not an IDX file of " + dimensions + "-d unsigned bytes (magic 0x"
                        + Integer.toHexString(magic) + "); re-download or reinstall it");
            }
            int[] sizes = new int[dimensions];
            long total = 1;
            for (int i = 0; i < dimensions; i++) {
                sizes[i] = data.readInt();
                if (sizes[i] <= 0) {
                    throw new DataException(file + " declares a dimension of size " + sizes[i] + "; the file is corrupt");
                }
                total *= sizes[i];
            }
            if (total > Integer.MAX_VALUE - 16) {
                throw new DataException(file + " declares " + total + " values, more than fits in memory here; the file is corrupt");
            }
            byte[] values = new byte[(int) total];
            data.readFully(values);
            if (data.read() != -1) {
                throw new DataException(file + " has data after its declared " + total + " values; the file is corrupt");
            }
            return new Content(sizes, values);
        } catch (EOFException e) {
            throw new DataException(file + " ends early (truncated download?); re-download or reinstall it", e);
        } catch (java.util.zip.ZipException e) {
            throw new DataException(file + " is not valid gzip data (" + e.getMessage() + "); re-download or reinstall it", e);
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param sizes the dimension sizes
     * @param values the bytes
     */
    record Content(int[] sizes, byte[] values) {}
}

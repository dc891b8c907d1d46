package dev.creamery.runtime.data;

import dev.creamery.runtime.io.CorruptFileException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST (optionally gzip-compressed): a magic number
 * ({@code 0x0000 08 NN}: unsigned bytes, {@code NN} dimensions), the dimension sizes as big-endian
 * ints, then the values. The declared size is checked before anything is allocated: against the
 * file's size for a plain file, against the memory there is for a compressed one (whose values are
 * then read in growing pieces, so a header that lies costs nothing).
 */
final class IdxFiles {
    private static final int UBYTE = 0x08;
    private static final String REDOWNLOAD = "re-download or reinstall it";
    private static final int FIRST_PIECE = 1 << 20;

    private IdxFiles() {}

    /**
     * @param file an IDX file of unsigned bytes
     * @param dimensions the expected number of dimensions (1 for labels, 3 for images)
     * @return the dimension sizes followed by the data
     * @throws CorruptFileException if the file is not such an IDX file, is cut short or is too large
     */
    static Content read(Path file, int dimensions) {
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                InputStream in = gzip ? gunzip(file, raw) : raw;
                DataInputStream data = new DataInputStream(in)) {
            long fileSize = Files.size(file);
            int magic = data.readInt();
            if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xFF) != UBYTE || (magic & 0xFF) != dimensions) {
                throw new CorruptFileException(file, String.format(Locale.ROOT, "not an IDX file of %d-d unsigned bytes (magic 0x%08x, expected 0x%08x)",
                        dimensions, magic, UBYTE << 8 | dimensions), REDOWNLOAD);
            }
            int[] sizes = new int[dimensions];
            long total = 1;
            for (int i = 0; i < dimensions; i++) {
                sizes[i] = data.readInt();
                if (sizes[i] <= 0) {
                    throw new CorruptFileException(file, "declares a dimension of size " + sizes[i], REDOWNLOAD);
                }
                total = Math.multiplyExact(total, (long) sizes[i]);
            }
            String declared = "declares " + shape(sizes) + " = " + total + " values";
            long header = 4L + 4L * dimensions;
            if (!gzip && total != fileSize - header) {
                throw new CorruptFileException(file, declared + " but holds " + (fileSize - header) + " bytes after its header"
                        + (total > fileSize - header ? " (truncated download?)" : ""), REDOWNLOAD);
            }
            // Half the heap at most: the values are copied once more into the data set.
            long memory = Runtime.getRuntime().maxMemory();
            if (total > Integer.MAX_VALUE - 16 || total > memory / 2) {
                throw new CorruptFileException(file, declared + ", more than this process can hold (" + memory / (1 << 20) + " MB of heap)",
                        "the file is corrupt, or raise -Xmx (CREAMERY_JAVA_OPTS) for a data set that large");
            }
            byte[] values = readValues(file, data, (int) total, declared);
            if (data.read() != -1) {
                throw new CorruptFileException(file, "has data after its declared " + total + " values", REDOWNLOAD);
            }
            return new Content(sizes, values);
        } catch (ArithmeticException e) {
            throw new CorruptFileException(file, "declares dimensions whose product overflows", REDOWNLOAD, e);
        } catch (EOFException e) {
            throw new CorruptFileException(file, "ends early, inside its " + (gzip ? "compressed data" : "header") + " (truncated download?)",
                    REDOWNLOAD, e);
        } catch (ZipException e) {
            throw new CorruptFileException(file, "is not valid gzip data (" + e.getMessage() + ")", REDOWNLOAD, e);
        } catch (IOException e) {
            throw new CorruptFileException(file, "cannot be read (" + e.getMessage() + ")", "check the file and its permissions", e);
        }
    }

    private static InputStream gunzip(Path file, InputStream raw) throws IOException {
        try {
            return new GZIPInputStream(raw, 1 << 16);
        } catch (ZipException e) {
            throw new CorruptFileException(file, "is not gzip data although its name ends in .gz (" + e.getMessage() + ")", REDOWNLOAD, e);
        } catch (EOFException e) {
            throw new CorruptFileException(file, "is not gzip data although its name ends in .gz (it is too short)", REDOWNLOAD, e);
        }
    }

    /** Reads exactly {@code total} values, growing the array as they arrive rather than trusting the header with memory. */
    private static byte[] readValues(Path file, InputStream in, int total, String declared) throws IOException {
        byte[] values = new byte[Math.min(total, FIRST_PIECE)];
        int filled = 0;
        while (filled < total) {
            if (filled == values.length) {
                values = Arrays.copyOf(values, (int) Math.min(total, 2L * values.length));
            }
            int read = in.read(values, filled, values.length - filled);
            if (read < 0) {
                throw new CorruptFileException(file, declared + " but ends after " + filled + " (truncated download?)", REDOWNLOAD);
            }
            filled += read;
        }
        return values;
    }

    private static String shape(int[] sizes) {
        StringBuilder sb = new StringBuilder();
        for (int size : sizes) {
            sb.append(sb.length() == 0 ? "" : " x ").append(size);
        }
        return sb.toString();
    }

    /**
     * @param sizes the dimension sizes
     * @param values the bytes
     */
    record Content(int[] sizes, byte[] values) {}
}

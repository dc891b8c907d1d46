package dev.creamery.runtime.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.creamery.api.DataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Reads and writes NumPy {@code .npy} files of one float32 array, C order, little-endian
 * ({@code '<f4'}, what {@code np.save} writes for {@code float32} on the usual machines).
 *
 * <p>Reading is strict: the magic and version (1.0, 2.0 or 3.0), a header of at most
 * {@value #MAX_HEADER_BYTES} bytes (NumPy's own limit) that is the dictionary of exactly
 * {@code descr}, {@code fortran_order} and {@code shape}, and data of exactly the declared size,
 * all checked before the array is allocated. Anything else is a {@link CorruptFileException}
 * that says how to save the array so it can be read.
 */
public final class Npy {
    /** The longest header read, NumPy's default {@code max_header_size}. */
    public static final int MAX_HEADER_BYTES = 10_000;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final String RESAVE = "save it with numpy.save(file, x.astype('<f4'))";

    private Npy() {}

    /**
     * What a header declares.
     *
     * @param descr the dtype, e.g. {@code <f4}
     * @param fortranOrder whether the data is in Fortran (column-major) order
     * @param shape the shape
     * @param dataStart where the data begins in the file
     */
    record Header(String descr, boolean fortranOrder, long[] shape, int dataStart) {}

    /**
     * @param file a {@code .npy} file
     * @param manager owns the array
     * @return its float32 array
     * @throws CorruptFileException if it is not a {@code .npy} file of float32 values in C order, or is cut short
     * @throws IOException if it cannot be read
     */
    public static NDArray read(Path file, NDManager manager) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer start = ByteBuffer.allocate((int) Math.min(size, 12 + MAX_HEADER_BYTES));
            readFully(file, channel, start, 0);
            Header header = parseHeader(file, start.array(), size);
            long bytes = elements(header.shape()) * 4;
            ByteBuffer data;
            try {
                data = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
            } catch (OutOfMemoryError e) {
                throw new DataException(file + ": its array needs " + bytes + " bytes, more memory than this process may take; "
                        + "raise the limit (-XX:MaxDirectMemorySize or -Xmx in CREAMERY_JAVA_OPTS) or pass a smaller batch", e);
            }
            readFully(file, channel, data, header.dataStart());
            return manager.create(data.flip(), new Shape(header.shape()), DataType.FLOAT32);
        }
    }

    /**
     * Validates the start of a file: magic, version, header and the data's size.
     *
     * @param file the file, for messages
     * @param start the file's first bytes (at least the whole header, if the file has it)
     * @param fileSize the file's size
     * @return the header
     * @throws CorruptFileException if the file is not one float32 array in C order of exactly its size
     */
    static Header parseHeader(Path file, byte[] start, long fileSize) {
        if (start.length < 10 || !java.util.Arrays.equals(start, 0, 6, MAGIC, 0, 6)) {
            throw new CorruptFileException(file, "not a .npy file (it does not start with \\x93NUMPY)", RESAVE);
        }
        int major = start[6] & 0xFF;
        int minor = start[7] & 0xFF;
        if (major < 1 || major > 3 || minor != 0) {
            throw new CorruptFileException(file, "a .npy file of format version " + major + "." + minor + ", which Creamery does not "
                    + "read (it reads 1.0, 2.0 and 3.0)", RESAVE);
        }
        int prefix = major == 1 ? 10 : 12;
        if (start.length < prefix) {
            throw new CorruptFileException(file, "ends inside its header (truncated?)", RESAVE);
        }
        ByteBuffer lengths = ByteBuffer.wrap(start, 8, prefix - 8).order(ByteOrder.LITTLE_ENDIAN);
        long length = major == 1 ? lengths.getShort() & 0xFFFF : lengths.getInt() & 0xFFFFFFFFL;
        if (length > MAX_HEADER_BYTES) {
            throw new CorruptFileException(file, "declares a header of " + length + " bytes, more than the " + MAX_HEADER_BYTES
                    + " a .npy header may have", RESAVE);
        }
        if (prefix + length > start.length) {
            throw new CorruptFileException(file, "ends inside its header (truncated?)", RESAVE);
        }
        String text = new String(start, prefix, (int) length, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dictionary = new HeaderParser(file, text).dictionary();
        if (!dictionary.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
            throw new CorruptFileException(file, "its header has the keys " + dictionary.keySet() + "; a .npy header has exactly descr, "
                    + "fortran_order and shape", RESAVE);
        }
        if (!(dictionary.get("descr") instanceof String descr)) {
            throw new CorruptFileException(file, "holds a structured array (descr " + render(dictionary.get("descr")) + "); Creamery "
                    + "reads one float32 array", RESAVE);
        }
        if (!descr.equals("<f4")) {
            throw new CorruptFileException(file, "holds " + describe(descr) + " values (descr '" + descr + "'); Creamery reads float32 "
                    + "('<f4')", RESAVE);
        }
        if (!(dictionary.get("fortran_order") instanceof Boolean fortran)) {
            throw new CorruptFileException(file, "its header's fortran_order is " + render(dictionary.get("fortran_order"))
                    + ", not True or False", RESAVE);
        }
        if (fortran) {
            throw new CorruptFileException(file, "holds its array in Fortran (column-major) order; Creamery reads C order",
                    "save it with numpy.save(file, np.ascontiguousarray(x, dtype='<f4'))");
        }
        long[] shape = sizes(dictionary.get("shape"));
        if (shape == null) {
            throw new CorruptFileException(file, "its header's shape is " + render(dictionary.get("shape")) + ", not a tuple of sizes",
                    RESAVE);
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(elements(shape), 4L);
        } catch (ArithmeticException e) {
            throw new CorruptFileException(file, "declares shape " + shape(shape) + ", whose size overflows", RESAVE, e);
        }
        long dataStart = prefix + length;
        long held = fileSize - dataStart;
        if (bytes != held) {
            throw new CorruptFileException(file, "declares shape " + shape(shape) + " of float32 (" + bytes + " bytes) but holds "
                    + held + " bytes after its header" + (bytes > held ? " (truncated?)" : ""), RESAVE);
        }
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new DataException(file + ": its array of " + bytes + " bytes is larger than the 2 GB one array may have here; "
                    + "pass a smaller batch");
        }
        return new Header(descr, false, shape, (int) dataStart);
    }

    /** @return the sizes of a tuple of non-negative whole numbers, or null for anything else */
    private static long[] sizes(Object shape) {
        if (!(shape instanceof Tuple tuple)) {
            return null;
        }
        long[] sizes = new long[tuple.items().size()];
        for (int i = 0; i < sizes.length; i++) {
            if (!(tuple.items().get(i) instanceof Long size) || size < 0) {
                return null;
            }
            sizes[i] = size;
        }
        return sizes;
    }

    private static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static String describe(String descr) {
        return switch (descr.length() == 3 ? descr.substring(1) : descr) {
            case "f8" -> "float64";
            case "f2" -> "float16";
            case "i8" -> "int64";
            case "i4" -> "int32";
            case "u1" -> "uint8";
            case "b1" -> "bool";
            case "f4" -> "big-endian float32";
            default -> "'" + descr + "'";
        };
    }

    private static String render(Object value) {
        if (value instanceof List<?> list) {
            return "a list of " + list.size();
        }
        return String.valueOf(value);
    }

    /** @return a shape as Python writes a tuple: {@code (2, 3)}, {@code (5,)}, {@code ()} */
    static String shape(long[] shape) {
        StringJoiner joiner = new StringJoiner(", ", "(", shape.length == 1 ? ",)" : ")");
        for (long d : shape) {
            joiner.add(Long.toString(d));
        }
        return joiner.toString();
    }

    private static void readFully(Path file, FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new CorruptFileException(file, "ends at byte " + at + " (it changed while it was read)", RESAVE);
            }
            at += read;
        }
    }

    /** A Python tuple in a header. */
    private record Tuple(List<Object> items) {
        @Override
        public String toString() {
            StringJoiner joiner = new StringJoiner(", ", "(", items.size() == 1 ? ",)" : ")");
            items.forEach(item -> joiner.add(item instanceof String string ? "'" + string + "'" : String.valueOf(item)));
            return joiner.toString();
        }
    }

    /**
     * Reads the Python literal of a {@code .npy} header: a dictionary of string keys whose values
     * are strings, {@code True}/{@code False}, whole numbers, and tuples and lists of those (a
     * structured dtype).
     */
    private static final class HeaderParser {
        private final Path file;
        private final String text;
        private int at;

        HeaderParser(Path file, String text) {
            this.file = file;
            this.text = text;
        }

        Map<String, Object> dictionary() {
            Map<String, Object> dictionary = new LinkedHashMap<>();
            expect('{');
            while (!peek('}')) {
                String key = string();
                expect(':');
                if (dictionary.put(key, value(0)) != null) {
                    throw malformed("key '" + key + "' appears twice");
                }
                if (!peek('}')) {
                    expect(',');
                }
            }
            expect('}');
            skipSpace();
            if (at != text.length()) {
                throw malformed("it has more after its dictionary");
            }
            return dictionary;
        }

        private Object value(int depth) {
            if (depth > 8) {
                throw malformed("it nests too deeply");
            }
            skipSpace();
            if (at >= text.length()) {
                throw malformed("it ends inside a value");
            }
            char c = text.charAt(at);
            if (c == '\'' || c == '"') {
                return string();
            }
            if (text.startsWith("True", at)) {
                at += 4;
                return true;
            }
            if (text.startsWith("False", at)) {
                at += 5;
                return false;
            }
            if (c == '(') {
                return tuple(depth);
            }
            if (c == '-' || Character.isDigit(c)) {
                return number();
            }
            if (c == '[') {
                List<Object> list = new ArrayList<>();
                at++;
                while (!peek(']')) {
                    list.add(value(depth + 1));
                    if (!peek(']')) {
                        expect(',');
                    }
                }
                expect(']');
                return list;
            }
            throw malformed("unexpected '" + c + "' at character " + at);
        }

        private Tuple tuple(int depth) {
            expect('(');
            List<Object> items = new ArrayList<>();
            while (!peek(')')) {
                if (at >= text.length()) {
                    throw malformed("it ends where ')' should be");
                }
                items.add(value(depth + 1));
                if (!peek(')')) {
                    expect(',');
                }
            }
            expect(')');
            return new Tuple(items);
        }

        private long number() {
            int begin = at;
            if (at < text.length() && text.charAt(at) == '-') {
                at++;
            }
            while (at < text.length() && Character.isDigit(text.charAt(at)) && at - begin < 20) {
                at++;
            }
            try {
                return Long.parseLong(text.substring(begin, at));
            } catch (NumberFormatException e) {
                throw malformed("'" + text.substring(begin, at) + "' at character " + begin + " is not a whole number that fits in 64 bits");
            }
        }

        private String string() {
            skipSpace();
            if (at >= text.length() || (text.charAt(at) != '\'' && text.charAt(at) != '"')) {
                throw malformed("expected a quoted string at character " + at);
            }
            char quote = text.charAt(at++);
            int end = text.indexOf(quote, at);
            if (end < 0) {
                throw malformed("a string is not closed");
            }
            String value = text.substring(at, end);
            if (value.indexOf('\\') >= 0) {
                throw malformed("a string has an escape");
            }
            at = end + 1;
            return value;
        }

        private boolean peek(char c) {
            skipSpace();
            return at < text.length() && text.charAt(at) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw malformed(at >= text.length() ? "it ends where '" + c + "' should be" : "expected '" + c + "' at character " + at);
            }
            at++;
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private CorruptFileException malformed(String problem) {
            return new CorruptFileException(file, "its header is not a .npy header dictionary (" + problem + ")", RESAVE);
        }
    }

    /**
     * Writes a float32 array atomically.
     *
     * @param file the target
     * @param array the values
     * @throws IOException if it cannot be written; an existing file is then unchanged
     */
    public static void write(Path file, NDArray array) throws IOException {
        NDArray values = array.toType(DataType.FLOAT32, false);
        String header = String.format(Locale.ROOT, "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }",
                shape(values.getShape().getShape()));
        int total = 10 + header.length() + 1;
        int padding = (64 - total % 64) % 64;
        byte[] text = (header + " ".repeat(padding) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer prefix = ByteBuffer.allocate(10 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        prefix.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
        // The engine's bytes are in native order, which on the supported platforms is '<'.
        byte[] data = values.toByteArray();
        AtomicFiles.write(file, channel -> {
            AtomicFiles.writeFully(channel, prefix.flip());
            AtomicFiles.writeFully(channel, ByteBuffer.wrap(data));
        });
    }
}

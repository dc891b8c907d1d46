package dev.creamery.runtime.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.creamery.api.DataException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads and writes safetensors files: an 8-byte little-endian header length, a JSON header
 * (padded with spaces to a multiple of 8 bytes), then the tensors' bytes, little-endian, in
 * row-major order.
 *
 * <p>Reading is strict and validates the whole header before it allocates any tensor: the header
 * length fits in the file and in {@value #MAX_HEADER_BYTES} bytes; the header is one JSON object
 * in UTF-8; every name appears once; {@code __metadata__}, if present, maps names to strings; every
 * tensor has a known dtype, a shape of non-negative sizes and {@code data_offsets} that begin
 * before they end, stay inside the data and span exactly shape × dtype bytes; and the tensors
 * cover the data without overlap, gap or trailing bytes, as the official readers demand. Anything
 * else is a {@link CorruptFileException}. Writing is atomic ({@link AtomicFiles}) and produces
 * files the official PyTorch and safetensors readers load.
 */
public final class Safetensors {
    /** The largest header read, the official readers' limit. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** The header entry that holds free-form string metadata rather than a tensor. */
    public static final String METADATA = "__metadata__";

    private static final String DAMAGED = "the file is damaged or not safetensors; write or convert it again";
    private static final Pattern WHOLE = Pattern.compile("0|[1-9][0-9]{0,18}");
    private static final int MAX_TENSOR_BYTES = Integer.MAX_VALUE - 8;

    private Safetensors() {}

    /**
     * The element types read, by their safetensors name. All but {@code BF16} are also written;
     * the engine has no bfloat16, so {@code BF16} tensors are read as float32 (exactly).
     */
    public enum Dtype {
        /** float64 */
        F64(DataType.FLOAT64, 8),
        /** float32 */
        F32(DataType.FLOAT32, 4),
        /** float16 */
        F16(DataType.FLOAT16, 2),
        /** bfloat16, read as float32 */
        BF16(DataType.FLOAT32, 2),
        /** int64 */
        I64(DataType.INT64, 8),
        /** int32 */
        I32(DataType.INT32, 4),
        /** int8 */
        I8(DataType.INT8, 1),
        /** uint8 */
        U8(DataType.UINT8, 1),
        /** bool, one byte per element */
        BOOL(DataType.BOOLEAN, 1);

        private final DataType type;
        private final int bytes;

        Dtype(DataType type, int bytes) {
            this.type = type;
            this.bytes = bytes;
        }

        /** @return the engine's type of the arrays read */
        public DataType type() {
            return type;
        }

        /** @return bytes per element in the file */
        public int bytes() {
            return bytes;
        }

        static Dtype of(DataType type) {
            for (Dtype dtype : values()) {
                if (dtype.type == type && dtype.bytes == type.getNumOfBytes()) {
                    return dtype;
                }
            }
            throw new IllegalArgumentException("cannot write " + type + " to safetensors; it takes "
                    + Arrays.stream(values()).filter(d -> d != BF16).map(d -> d.type.toString()).collect(Collectors.joining(", ")));
        }
    }

    /**
     * One tensor of a header.
     *
     * @param name its name
     * @param dtype its element type
     * @param shape its shape
     * @param begin where its bytes begin, counted from the start of the data
     * @param end where they end (exclusive)
     */
    public record Entry(String name, Dtype dtype, long[] shape, long begin, long end) {
        /** @return its size in bytes */
        public long bytes() {
            return end - begin;
        }
    }

    /**
     * A validated header.
     *
     * @param tensors the tensors in the header's order
     * @param metadata the {@code __metadata__} entries (empty if none)
     * @param dataStart where the data begins in the file (8 + header length)
     */
    public record Header(List<Entry> tensors, Map<String, String> metadata, long dataStart) {}

    /**
     * What a file holds.
     *
     * @param tensors the tensors by name, in the header's order
     * @param metadata the {@code __metadata__} entries (empty if none)
     */
    public record Contents(Map<String, NDArray> tensors, Map<String, String> metadata) {}

    /**
     * Reads a safetensors file's tensors, keeping the file's order.
     *
     * @param file a {@code .safetensors} file
     * @param manager owns the arrays
     * @return the tensors by name
     * @throws CorruptFileException if the file is not valid safetensors
     * @throws IOException if it cannot be read
     */
    public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        return readContents(file, manager).tensors();
    }

    /**
     * Reads a safetensors file's tensors and metadata.
     *
     * @param file a {@code .safetensors} file
     * @param manager owns the arrays
     * @return the tensors and metadata
     * @throws CorruptFileException if the file is not valid safetensors
     * @throws IOException if it cannot be read
     */
    public static Contents readContents(Path file, NDManager manager) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = header(file, channel);
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (Entry entry : header.tensors()) {
                ByteBuffer buffer = allocate(file, entry, entry.bytes());
                readFully(file, channel, buffer, header.dataStart() + entry.begin(), entry.name());
                buffer.flip();
                if (entry.dtype() == Dtype.BF16) {
                    buffer = widenBfloat16(file, entry, buffer);
                }
                NDArray array = manager.create(buffer, new Shape(entry.shape()), entry.dtype().type());
                array.setName(entry.name());
                tensors.put(entry.name(), array);
            }
            return new Contents(tensors, header.metadata());
        }
    }

    /**
     * Reads and validates a file's header without reading any tensor.
     *
     * @param file a {@code .safetensors} file
     * @return the header
     * @throws CorruptFileException if the file is not valid safetensors
     * @throws IOException if it cannot be read
     */
    public static Header header(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(file, channel);
        }
    }

    private static Header header(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new CorruptFileException(file, size + " bytes, too short for safetensors (an 8-byte header length, then a JSON header)",
                    DAMAGED);
        }
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, channel, prefix, 0, null);
        long length = prefix.flip().getLong();
        if (length < 0 || length > size - 8) {
            throw new CorruptFileException(file, "header length " + Long.toUnsignedString(length) + " goes beyond the end of the file ("
                    + size + " bytes)", DAMAGED);
        }
        if (length > MAX_HEADER_BYTES) {
            throw new CorruptFileException(file, "header length " + length + " is more than the " + MAX_HEADER_BYTES
                    + " bytes a safetensors header may have", DAMAGED);
        }
        ByteBuffer json = ByteBuffer.allocate((int) length);
        readFully(file, channel, json, 8, null);
        return parseHeader(file, json.array(), size - 8 - length);
    }

    /**
     * Validates a header.
     *
     * @param file the file, for messages
     * @param json the header's bytes
     * @param dataLength the bytes after the header
     * @return the header
     * @throws CorruptFileException if it is not a valid safetensors header for that much data
     */
    static Header parseHeader(Path file, byte[] json, long dataLength) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(json)).toString();
        } catch (CharacterCodingException e) {
            throw new CorruptFileException(file, "its header is not UTF-8 text", DAMAGED, e);
        }
        if (text.isEmpty() || text.charAt(0) != '{') {
            throw new CorruptFileException(file, "its header is not a JSON object (it does not start with '{')", DAMAGED);
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(Strictness.STRICT);
            reader.beginObject();
            Set<String> names = new HashSet<>();
            while (reader.hasNext()) {
                String name = reader.nextName();
                if (!names.add(name)) {
                    throw new CorruptFileException(file, (name.equals(METADATA) ? METADATA : "tensor '" + name + "'")
                            + " is listed twice in the header", DAMAGED);
                }
                if (name.equals(METADATA)) {
                    readMetadata(file, reader, metadata);
                } else {
                    entries.add(readEntry(file, reader, name, dataLength));
                }
            }
            reader.endObject();
            if (!atEnd(reader)) {
                throw new CorruptFileException(file, "its header has more after its JSON object", DAMAGED);
            }
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new CorruptFileException(file, "its header is not a valid JSON object (" + JsonProblems.describe(e) + ")", DAMAGED, e);
        }
        checkLayout(file, entries, dataLength);
        return new Header(List.copyOf(entries), Map.copyOf(metadata), 8 + json.length);
    }

    private static void readMetadata(Path file, JsonReader reader, Map<String, String> metadata) throws IOException {
        if (reader.peek() != JsonToken.BEGIN_OBJECT) {
            throw new CorruptFileException(file, METADATA + " is not a JSON object of strings", DAMAGED);
        }
        reader.beginObject();
        while (reader.hasNext()) {
            String key = reader.nextName();
            if (reader.peek() != JsonToken.STRING) {
                throw new CorruptFileException(file, METADATA + " entry '" + key + "' is not a string", DAMAGED);
            }
            if (metadata.put(key, reader.nextString()) != null) {
                throw new CorruptFileException(file, METADATA + " entry '" + key + "' is listed twice", DAMAGED);
            }
        }
        reader.endObject();
    }

    private static Entry readEntry(Path file, JsonReader reader, String name, long dataLength) throws IOException {
        String tensor = "tensor '" + name + "'";
        if (reader.peek() != JsonToken.BEGIN_OBJECT) {
            throw new CorruptFileException(file, tensor + " is not described by a JSON object", DAMAGED);
        }
        String dtypeName = null;
        long[] shape = null;
        long[] offsets = null;
        reader.beginObject();
        while (reader.hasNext()) {
            String key = reader.nextName();
            switch (key) {
                case "dtype" -> {
                    if (dtypeName != null || reader.peek() != JsonToken.STRING) {
                        throw new CorruptFileException(file, tensor + " has a malformed dtype", DAMAGED);
                    }
                    dtypeName = reader.nextString();
                }
                case "shape" -> {
                    if (shape != null) {
                        throw new CorruptFileException(file, tensor + " has two shapes", DAMAGED);
                    }
                    shape = wholeNumbers(file, reader, tensor + " shape");
                }
                case "data_offsets" -> {
                    if (offsets != null) {
                        throw new CorruptFileException(file, tensor + " has two data_offsets", DAMAGED);
                    }
                    offsets = wholeNumbers(file, reader, tensor + " data_offsets");
                }
                default -> reader.skipValue();
            }
        }
        reader.endObject();
        if (dtypeName == null || shape == null || offsets == null) {
            throw new CorruptFileException(file, tensor + " lacks " + (dtypeName == null ? "its dtype" : shape == null ? "its shape"
                    : "its data_offsets"), DAMAGED);
        }
        Dtype dtype;
        try {
            dtype = Dtype.valueOf(dtypeName);
        } catch (IllegalArgumentException e) {
            throw new CorruptFileException(file, tensor + " has dtype '" + dtypeName + "', which Creamery does not read (it reads "
                    + Arrays.stream(Dtype.values()).map(Enum::name).collect(Collectors.joining(", ")) + ")",
                    "convert the tensor to one of those, e.g. float32, and write the file again");
        }
        if (offsets.length != 2) {
            throw new CorruptFileException(file, tensor + " has " + offsets.length + " data_offsets; it needs two, [begin, end]", DAMAGED);
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw new CorruptFileException(file, tensor + " has data_offsets [" + begin + ", " + end + "] that end before they begin",
                    DAMAGED);
        }
        if (end > dataLength) {
            throw new CorruptFileException(file, tensor + " has data_offsets [" + begin + ", " + end + "] beyond the " + dataLength
                    + " bytes of data (the file is cut short or its header is wrong)", DAMAGED);
        }
        long elements = 1;
        try {
            for (long d : shape) {
                elements = Math.multiplyExact(elements, d);
            }
            long needed = Math.multiplyExact(elements, dtype.bytes());
            if (needed != end - begin) {
                throw new CorruptFileException(file, tensor + " has data_offsets [" + begin + ", " + end + "] (" + (end - begin)
                        + " bytes) but its shape " + Arrays.toString(shape) + " of " + dtype + " needs " + needed + " bytes", DAMAGED);
            }
        } catch (ArithmeticException e) {
            throw new CorruptFileException(file, tensor + " has shape " + Arrays.toString(shape) + ", whose size overflows", DAMAGED, e);
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static long[] wholeNumbers(Path file, JsonReader reader, String what) throws IOException {
        if (reader.peek() != JsonToken.BEGIN_ARRAY) {
            throw new CorruptFileException(file, what + " is not a list of whole numbers", DAMAGED);
        }
        List<Long> values = new ArrayList<>();
        reader.beginArray();
        while (reader.hasNext()) {
            if (reader.peek() != JsonToken.NUMBER) {
                throw new CorruptFileException(file, what + " is not a list of whole numbers", DAMAGED);
            }
            String number = reader.nextString();
            if (!WHOLE.matcher(number).matches()) {
                throw new CorruptFileException(file, what + " has " + abbreviate(number) + ", not a whole number from 0 to 2^63 - 1",
                        DAMAGED);
            }
            try {
                values.add(Long.parseLong(number));
            } catch (NumberFormatException e) {
                throw new CorruptFileException(file, what + " has " + number + ", not a whole number from 0 to 2^63 - 1", DAMAGED, e);
            }
        }
        reader.endArray();
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static boolean atEnd(JsonReader reader) {
        try {
            return reader.peek() == JsonToken.END_DOCUMENT;
        } catch (IOException e) {
            return false;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    /** The tensors must tile the data: sorted by offset, each begins where the previous ends, and the last ends with the data. */
    private static void checkLayout(Path file, List<Entry> entries, long dataLength) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long position = 0;
        Entry previous = null;
        for (Entry entry : sorted) {
            if (entry.begin() < position) {
                throw new CorruptFileException(file, "tensors '" + previous.name() + "' and '" + entry.name() + "' overlap (data_offsets ["
                        + previous.begin() + ", " + previous.end() + "] and [" + entry.begin() + ", " + entry.end() + "])", DAMAGED);
            }
            if (entry.begin() > position) {
                throw new CorruptFileException(file, "bytes " + position + " to " + entry.begin() + " of the data belong to no tensor",
                        DAMAGED);
            }
            position = entry.end();
            previous = entry;
        }
        if (position != dataLength) {
            throw new CorruptFileException(file, "the data has " + (dataLength - position) + " bytes after its last tensor", DAMAGED);
        }
    }

    private static ByteBuffer allocate(Path file, Entry entry, long bytes) {
        if (bytes > MAX_TENSOR_BYTES) {
            throw new DataException(file + ": tensor '" + entry.name() + "' takes " + bytes + " bytes, more than the 2 GB one "
                    + "tensor may have here; split it or store it in a smaller type");
        }
        try {
            return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        } catch (OutOfMemoryError e) {
            throw new DataException(file + ": tensor '" + entry.name() + "' needs " + bytes + " bytes, more memory than this "
                    + "process may take; raise the limit (-XX:MaxDirectMemorySize or -Xmx in CREAMERY_JAVA_OPTS)", e);
        }
    }

    /** A bfloat16 is the upper half of a float32: widening is exact. */
    private static ByteBuffer widenBfloat16(Path file, Entry entry, ByteBuffer halves) {
        ByteBuffer floats = allocate(file, entry, 2 * entry.bytes());
        while (halves.hasRemaining()) {
            floats.putInt((halves.getShort() & 0xFFFF) << 16);
        }
        return floats.flip();
    }

    private static void readFully(Path file, FileChannel channel, ByteBuffer buffer, long position, String tensor) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new CorruptFileException(file, "the file ends at byte " + at + (tensor == null ? "" : ", inside tensor '" + tensor
                        + "'") + " (it changed while it was read)", DAMAGED);
            }
            at += read;
        }
    }

    /**
     * Writes tensors as safetensors, in the given order, atomically.
     *
     * @param file the target file (replaced if it exists)
     * @param tensors the tensors by name
     * @throws IOException if the file cannot be written; an existing file is then unchanged
     */
    public static void write(Path file, Map<String, NDArray> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes tensors and metadata as safetensors, in the given order, atomically.
     *
     * @param file the target file (replaced if it exists)
     * @param tensors the tensors by name
     * @param metadata string entries stored under {@code __metadata__} (none if empty)
     * @throws IOException if the file cannot be written; an existing file is then unchanged
     * @throws IllegalArgumentException if a tensor has a type safetensors cannot hold, or is named {@code __metadata__}
     */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = headerBytes(tensors, metadata);
        AtomicFiles.write(file, channel -> {
            AtomicFiles.writeFully(channel, ByteBuffer.wrap(header));
            for (NDArray array : tensors.values()) {
                AtomicFiles.writeFully(channel, ByteBuffer.wrap(array.toByteArray()));
            }
        });
    }

    /** @return the 8-byte length and the JSON header, padded with spaces to a multiple of 8 */
    static byte[] headerBytes(Map<String, NDArray> tensors, Map<String, String> metadata) {
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add(METADATA, meta);
        }
        long offset = 0;
        for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
            if (entry.getKey().equals(METADATA)) {
                throw new IllegalArgumentException("a tensor cannot be named " + METADATA);
            }
            NDArray array = entry.getValue();
            Dtype dtype = Dtype.of(array.getDataType());
            long bytes = array.getShape().size() * dtype.bytes();
            JsonObject info = new JsonObject();
            info.addProperty("dtype", dtype.name());
            JsonArray shape = new JsonArray();
            for (long d : array.getShape().getShape()) {
                shape.add(d);
            }
            info.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(offset + bytes);
            info.add("data_offsets", offsets);
            header.add(entry.getKey(), info);
            offset += bytes;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(json);
        while (out.hasRemaining()) {
            out.put((byte) ' ');
        }
        return out.array();
    }
}

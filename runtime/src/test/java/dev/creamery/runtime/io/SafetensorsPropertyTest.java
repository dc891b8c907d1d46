package dev.creamery.runtime.io;

import static dev.creamery.testkit.Generated.anyString;
import static dev.creamery.testkit.Generated.bytes;
import static dev.creamery.testkit.Generated.check;
import static dev.creamery.testkit.Generated.intBetween;
import static dev.creamery.testkit.Generated.list;
import static dev.creamery.testkit.Generated.longBetween;
import static dev.creamery.testkit.Generated.oneOf;
import static dev.creamery.testkit.Generated.pick;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.creamery.runtime.Mutations;
import dev.creamery.runtime.io.CorruptFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whatever bytes a safetensors file holds, reading it gives its tensors or one
 * {@link CorruptFileException} naming it: never another exception, never an allocation the file
 * does not back.
 */
class SafetensorsPropertyTest {
    private static NDManager manager;
    private static byte[] valid;

    @BeforeAll
    static void writeAValidFile() throws IOException {
        manager = NDManager.newBaseManager();
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("blocks.0.weight", manager.randomNormal(new Shape(3, 4)));
        tensors.put("blocks.0.bias", manager.zeros(new Shape(3)));
        tensors.put("steps", manager.create(new long[] {7, 8}));
        tensors.put("mask", manager.create(new boolean[] {true, false, true}));
        tensors.put("half", manager.ones(new Shape(2, 2)).toType(DataType.FLOAT16, false));
        tensors.put("empty", manager.zeros(new Shape(0, 5)));
        Path file = Mutations.file("valid.safetensors", new byte[0]);
        Safetensors.write(file, tensors, Map.of("creamery.checkpoint", "{\"epoch\": 1}"));
        valid = Files.readAllBytes(file);
    }

    @AfterAll
    static void closeTheManager() {
        manager.close();
    }

    /** Reads the bytes as a file: they are tensors, or refused with one sentence naming the file. */
    private static void readsOrRefuses(byte[] bytes) {
        Path file = Mutations.file("candidate.safetensors", bytes);
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> tensors = Safetensors.read(file, scope);
            long data = 0;
            for (NDArray tensor : tensors.values()) {
                data += tensor.getShape().size();
            }
            assertThat(data).isLessThanOrEqualTo(bytes.length);
        } catch (CorruptFileException e) {
            assertThat(e.getMessage()).startsWith(file + ": ").doesNotContain("\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void randomBytesAreReadOrRefused() {
        check(300, random -> bytes(random, 0, 300), SafetensorsPropertyTest::readsOrRefuses);
    }

    @Test
    void randomBytesAfterAPlausibleLengthAreReadOrRefused() {
        check(300, random -> {
            byte[] rest = bytes(random, 0, 400);
            byte[] bytes = new byte[8 + rest.length];
            java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(intBetween(random, 0, 400)).put(rest);
            return bytes;
        }, SafetensorsPropertyTest::readsOrRefuses);
    }

    @Test
    void mutationsOfAValidFileAreReadOrRefused() {
        check(600, random -> Mutations.mutations(random, valid.length - 200),
                mutations -> readsOrRefuses(Mutations.apply(valid, mutations)));
    }

    /** A header and the length of the data after it. */
    record Candidate(String header, int dataLength) {}

    private static final String[] NAMES = {"a", "b", "c", "__metadata__", "a.b", "", "line\\nbreak", "\\u0000"};
    private static final String[] DTYPES = {"F32", "F64", "F16", "BF16", "I64", "I32", "I8", "U8", "BOOL", "F8_E4M3", "f32", "", "I16",
            "U64"};

    private static String number(SplittableRandom random) {
        return oneOf(random, small -> String.valueOf(intBetween(small, 0, 64)), odd -> pick(odd, "-1", "1.5", "1e3", "9223372036854775807",
                "9223372036854775808", "18446744073709551616", "null", "\"4\"", "0x10"));
    }

    private static String numbers(SplittableRandom random) {
        return "[" + String.join(",", list(random, 0, 4, SafetensorsPropertyTest::number)) + "]";
    }

    private static String entry(SplittableRandom random) {
        String name = pick(random, NAMES);
        String dtype = pick(random, DTYPES);
        String shape = numbers(random);
        String offsets = numbers(random);
        return switch (intBetween(random, 0, 9)) {
            case 0 -> "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + "}";
            case 1 -> "\"" + name + "\":{\"format\":\"pt\",\"epoch\":\"3\"}";
            case 2 -> "\"" + name + "\":[" + shape + "]";
            case 3 -> "\"" + name + "\":{\"dtype\":" + shape + ",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
            default -> "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
        };
    }

    private static String object(SplittableRandom random) {
        StringJoiner joiner = new StringJoiner(",", "{", "}");
        list(random, 0, 4, SafetensorsPropertyTest::entry).forEach(joiner::add);
        return joiner.toString();
    }

    private static Candidate randomHeader(SplittableRandom random) {
        String noise = oneOf(random, SafetensorsPropertyTest::object, r -> object(r) + "   ", r -> object(r) + " x", r -> {
            String o = object(r);
            return o.substring(0, o.length() / 2);
        }, r -> anyString(r, 0, 40));
        return new Candidate(noise, intBetween(random, 0, 300));
    }

    /** A header as a writer makes it (tensors in any order, tiling the data), then perhaps one number changed. */
    private static Candidate consistentHeader(SplittableRandom random) {
        List<Map.Entry<Safetensors.Dtype, List<Integer>>> specs = list(random, 0, 5,
                r -> Map.entry(pick(r, Safetensors.Dtype.values()), list(r, 0, 3, d -> intBetween(d, 0, 4))));
        int seed = intBetween(random, 0, 1000);
        int change = random.nextBoolean() ? 0 : intBetween(random, -3, 3);
        boolean metadata = random.nextBoolean();
        List<String> parts = new ArrayList<>();
        if (metadata) {
            parts.add("\"__metadata__\":{\"epoch\":\"2\"}");
        }
        long offset = 0;
        List<long[]> ranges = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            long elements = specs.get(i).getValue().stream().mapToLong(Integer::longValue).reduce(1, (x, y) -> x * y);
            long bytes = elements * specs.get(i).getKey().bytes();
            ranges.add(new long[] {offset, offset + bytes});
            offset += bytes;
        }
        int changed = specs.isEmpty() || change == 0 ? -1 : seed % (2 * specs.size());
        for (int i = specs.size() - 1; i >= 0; i--) {
            long[] range = ranges.get(i);
            long begin = range[0] + (changed == 2 * i ? change : 0);
            long end = range[1] + (changed == 2 * i + 1 ? change : 0);
            parts.add("\"t" + i + "\":{\"dtype\":\"" + specs.get(i).getKey() + "\",\"shape\":" + specs.get(i).getValue()
                    .toString().replace(" ", "") + ",\"data_offsets\":[" + begin + "," + end + "]}");
        }
        int dataLength = (int) offset + (changed < 0 && change != 0 ? change * change : 0);
        return new Candidate("{" + String.join(",", parts) + "}", dataLength);
    }

    @Test
    void anyHeaderIsValidatedOrRefused() {
        check(2000, random -> oneOf(random, SafetensorsPropertyTest::randomHeader, SafetensorsPropertyTest::consistentHeader),
                SafetensorsPropertyTest::validatedOrRefused);
    }

    private static void validatedOrRefused(Candidate candidate) {
        Path file = Path.of("header.safetensors");
        int dataLength = candidate.dataLength();
        Safetensors.Header parsed;
        try {
            parsed = Safetensors.parseHeader(file, candidate.header().getBytes(java.nio.charset.StandardCharsets.UTF_8), dataLength);
        } catch (CorruptFileException e) {
            assertThat(e.getMessage()).startsWith(file + ": ").doesNotContain("\n");
            return;
        }
        // Accepted: the tensors tile the data exactly, each as large as its shape and dtype say.
        List<Safetensors.Entry> sorted = new ArrayList<>(parsed.tensors());
        sorted.sort(java.util.Comparator.comparingLong(Safetensors.Entry::begin).thenComparingLong(Safetensors.Entry::end));
        long position = 0;
        for (Safetensors.Entry entry : sorted) {
            assertThat(entry.begin()).isEqualTo(position);
            long elements = 1;
            for (long d : entry.shape()) {
                elements *= d;
            }
            assertThat(entry.bytes()).isEqualTo(elements * entry.dtype().bytes());
            position = entry.end();
        }
        assertThat(position).isEqualTo(dataLength);
    }

    private static final DataType[] TYPES = {DataType.FLOAT32, DataType.FLOAT64, DataType.FLOAT16, DataType.INT64, DataType.INT32,
            DataType.INT8, DataType.UINT8, DataType.BOOLEAN};

    /** Tensors of random names, types and shapes, each filled with random values. */
    private static Map<String, NDArray> tensors(SplittableRandom random) {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (int i = intBetween(random, 0, 5); i > 0; i--) {
            String name;
            do {
                name = anyString(random, 1, 12);
            } while (name.equals(Safetensors.METADATA));
            DataType type = pick(random, TYPES);
            Shape shape = new Shape(list(random, 0, 3, d -> longBetween(d, 0, 4)).stream().mapToLong(Long::longValue).toArray());
            tensors.put(name, manager.randomUniform(-100, 100, shape).toType(type, false));
        }
        return tensors;
    }

    @Test
    void whatIsWrittenReadsBackBitForBit() {
        check(200, SafetensorsPropertyTest::tensors, SafetensorsPropertyTest::readsBackBitForBit);
    }

    private static void readsBackBitForBit(Map<String, NDArray> tensors) throws IOException {
        Path file = Mutations.file("round.safetensors", new byte[0]);
        Safetensors.write(file, tensors);
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> read = Safetensors.read(file, scope);
            assertThat(read.keySet()).containsExactlyElementsOf(tensors.keySet());
            tensors.forEach((name, tensor) -> {
                assertThat(read.get(name).getDataType()).isEqualTo(tensor.getDataType());
                assertThat(read.get(name).getShape()).isEqualTo(tensor.getShape());
                assertThat(read.get(name).toByteArray()).isEqualTo(tensor.toByteArray());
            });
        }
    }
}

package dev.creamery.runtime.io;

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
import java.util.StringJoiner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever bytes a safetensors file holds, reading it gives its tensors or one
 * {@link CorruptFileException} naming it: never another exception, never an allocation the file
 * does not back.
 */
class SafetensorsPropertyTest {
    private static NDManager manager;
    private static byte[] valid;

    @BeforeContainer
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

    @AfterContainer
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

    @Property(tries = 300)
    void randomBytesAreReadOrRefused(@ForAll @Size(max = 300) byte[] bytes) {
        readsOrRefuses(bytes);
    }

    @Property(tries = 300)
    void randomBytesAfterAPlausibleLengthAreReadOrRefused(@ForAll @IntRange(max = 400) int length,
            @ForAll @Size(max = 400) byte[] rest) {
        byte[] bytes = new byte[8 + rest.length];
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(length).put(rest);
        readsOrRefuses(bytes);
    }

    @Provide
    Arbitrary<List<Mutations.Mutation>> mutations() {
        return Mutations.mutations(valid.length - 200);
    }

    @Property(tries = 600)
    void mutationsOfAValidFileAreReadOrRefused(@ForAll("mutations") List<Mutations.Mutation> mutations) {
        readsOrRefuses(Mutations.apply(valid, mutations));
    }

    /** A header and the length of the data after it. */
    record Candidate(String header, int dataLength) {}

    @Provide
    Arbitrary<Candidate> headers() {
        Arbitrary<String> names = Arbitraries.of("a", "b", "c", "__metadata__", "a.b", "", "line\\nbreak", "\\u0000");
        Arbitrary<String> dtypes = Arbitraries.of("F32", "F64", "F16", "BF16", "I64", "I32", "I8", "U8", "BOOL", "F8_E4M3", "f32", "",
                "I16", "U64");
        Arbitrary<String> numbers = Arbitraries.oneOf(Arbitraries.integers().between(0, 64).map(String::valueOf),
                Arbitraries.of("-1", "1.5", "1e3", "9223372036854775807", "9223372036854775808", "18446744073709551616", "null",
                        "\"4\"", "0x10"));
        Arbitrary<String> lists = numbers.list().ofMaxSize(4).map(list -> "[" + String.join(",", list) + "]");
        Arbitrary<String> entry = Combinators.combine(names, dtypes, lists, lists, Arbitraries.integers().between(0, 9))
                .as((name, dtype, shape, offsets, variant) -> switch (variant) {
                    case 0 -> "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + "}";
                    case 1 -> "\"" + name + "\":{\"format\":\"pt\",\"epoch\":\"3\"}";
                    case 2 -> "\"" + name + "\":[" + shape + "]";
                    case 3 -> "\"" + name + "\":{\"dtype\":" + shape + ",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
                    default -> "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
                });
        Arbitrary<String> objects = entry.list().ofMaxSize(4).map(entries -> {
            StringJoiner joiner = new StringJoiner(",", "{", "}");
            entries.forEach(joiner::add);
            return joiner.toString();
        });
        Arbitrary<String> noise = Arbitraries.oneOf(objects, objects.map(o -> o + "   "), objects.map(o -> o + " x"),
                objects.map(o -> o.substring(0, o.length() / 2)), Arbitraries.strings().ofMaxLength(40));
        Arbitrary<Candidate> random = Combinators.combine(noise, Arbitraries.integers().between(0, 300)).as(Candidate::new);
        // Headers as a writer makes them (tensors in any order, tiling the data), then perhaps one number changed.
        Arbitrary<Candidate> consistent = Combinators.combine(
                Combinators.combine(Arbitraries.of(Safetensors.Dtype.values()), Arbitraries.integers().between(0, 4).list().ofMaxSize(3))
                        .as((dtype, shape) -> Map.entry(dtype, shape)).list().ofMaxSize(5),
                Arbitraries.integers().between(0, 1000), Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(-3, 3)),
                Arbitraries.of(true, false))
                .as((specs, seed, change, metadata) -> {
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
                });
        return Arbitraries.oneOf(random, consistent);
    }

    @Property(tries = 2000)
    void anyHeaderIsValidatedOrRefused(@ForAll("headers") Candidate candidate) {
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

    @Provide
    Arbitrary<Map<String, NDArray>> tensors() {
        Arbitrary<DataType> types = Arbitraries.of(DataType.FLOAT32, DataType.FLOAT64, DataType.FLOAT16, DataType.INT64, DataType.INT32,
                DataType.INT8, DataType.UINT8, DataType.BOOLEAN);
        Arbitrary<long[]> shapes = Arbitraries.longs().between(0, 4).array(long[].class).ofMaxSize(3);
        Arbitrary<String> names = Arbitraries.strings().ofMinLength(1).ofMaxLength(12).filter(n -> !n.equals(Safetensors.METADATA));
        return Combinators.combine(names, types, shapes).as((name, type, shape) -> Map.entry(name, (Object) new Object[] {type, shape}))
                .list().ofMaxSize(5).map(entries -> {
                    Map<String, NDArray> tensors = new LinkedHashMap<>();
                    for (var entry : entries) {
                        Object[] spec = (Object[]) entry.getValue();
                        Shape shape = new Shape((long[]) spec[1]);
                        tensors.put(entry.getKey(), manager.randomUniform(-100, 100, shape).toType((DataType) spec[0], false));
                    }
                    return tensors;
                });
    }

    @Property(tries = 200)
    void whatIsWrittenReadsBackBitForBit(@ForAll("tensors") Map<String, NDArray> tensors) throws IOException {
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

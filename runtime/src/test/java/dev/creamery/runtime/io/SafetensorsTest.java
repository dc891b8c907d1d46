package dev.creamery.runtime.io;

import static dev.creamery.runtime.Commands.creamery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.creamery.api.StateDict;
import dev.creamery.runtime.Commands.Result;
import dev.creamery.runtime.Jobs;
import dev.creamery.runtime.io.CorruptFileException;
import dev.creamery.runtime.model.ModelResolver;
import dev.creamery.runtime.model.ResolvedModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    private static final String DAMAGED = "; the file is damaged or not safetensors; write or convert it again";

    @TempDir
    Path dir;

    /** A file with this header (unpadded) and {@code data} zero bytes after it. */
    private Path file(String name, String header, int data) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(8 + json.length + data).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(json.length).put(json);
        return Files.write(dir.resolve(name), bytes.array());
    }

    private static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    private void assertRefused(Path file, String problem) {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> Safetensors.read(file, manager)).isInstanceOf(CorruptFileException.class)
                    .hasMessage(file + ": " + problem + DAMAGED);
        }
    }

    @Test
    void roundTripsEveryDtypeWithMetadataInTheOfficialLayout() throws Exception {
        Path file = dir.resolve("all.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            tensors.put("f64", manager.create(new double[] {1.5, -2}));
            tensors.put("f32", manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3)));
            tensors.put("f16", manager.create(new float[] {0.5f, 2}).toType(DataType.FLOAT16, false));
            tensors.put("i64", manager.create(7L));
            tensors.put("i32", manager.create(new int[] {-1, 1}));
            tensors.put("i8", manager.create(new byte[] {-4, 4}));
            tensors.put("u8", manager.create(new byte[] {(byte) 200, 5}).toType(DataType.UINT8, false));
            tensors.put("bool", manager.create(new boolean[] {true, false, true}));
            tensors.put("empty", manager.zeros(new Shape(0, 3)));
            Safetensors.write(file, tensors, Map.of("format", "pt", "epoch", "3"));

            byte[] bytes = Files.readAllBytes(file);
            long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertThat(headerLength % 8).isZero();
            String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
            assertThat(header).startsWith("{\"__metadata__\":{").contains(
                    "\"f32\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[16,40]}");
            assertThat(header.strip()).endsWith("}");
            assertThat(header.substring(header.strip().length())).isBlank();

            Safetensors.Contents read = Safetensors.readContents(file, manager);
            assertThat(read.metadata()).isEqualTo(Map.of("format", "pt", "epoch", "3"));
            assertThat(read.tensors().keySet()).containsExactlyElementsOf(tensors.keySet());
            tensors.forEach((name, expected) -> {
                NDArray actual = read.tensors().get(name);
                assertThat(actual.getDataType()).as(name).isEqualTo(expected.getDataType());
                assertThat(actual.getShape()).as(name).isEqualTo(expected.getShape());
                assertThat(actual.toByteArray()).as(name).isEqualTo(expected.toByteArray());
            });
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("all.safetensors");
        }
    }

    @Test
    void readsBfloat16AsFloat32Exactly() throws Exception {
        // 1.0, -2.5 and 2^-10 in bfloat16: the upper halves of their float32 bits.
        short[] halves = {(short) 0x3F80, (short) 0xC020, (short) 0x3A80};
        Path file = file("bf16.safetensors", "{" + tensor("w", "BF16", "[3]", 0, 6) + "}", 6);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer data = ByteBuffer.wrap(bytes, bytes.length - 6, 6).order(ByteOrder.LITTLE_ENDIAN);
        for (short half : halves) {
            data.putShort(half);
        }
        Files.write(file, bytes);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = Safetensors.read(file, manager).get("w");
            assertThat(w.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(w.toFloatArray()).containsExactly(1f, -2.5f, 0x1p-10f);
        }
    }

    @Test
    void writesTheBytesTheOfficialWriterWrites() throws Exception {
        // safetensors.torch.save_file({"a": torch.zeros(2)}) writes exactly these bytes.
        Path file = dir.resolve("official.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            Safetensors.write(file, Map.of("a", manager.zeros(new Shape(2))));
        }
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        int padded = (json.length() + 7) / 8 * 8;
        ByteBuffer expected = ByteBuffer.allocate(8 + padded + 8).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(padded).put(json.getBytes(StandardCharsets.US_ASCII));
        while (expected.position() < 8 + padded) {
            expected.put((byte) ' ');
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(expected.array());
    }

    @Test
    void refusesAHeaderLengthBeyondTheFile() throws Exception {
        Path file = Files.write(dir.resolve("long.safetensors"), ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(1000).put((byte) '{').put((byte) '}').array());
        assertRefused(file, "header length 1000 goes beyond the end of the file (10 bytes)");
    }

    @Test
    void refusesAHeaderLengthOfTwoToTheSixtyThird() throws Exception {
        Path file = Files.write(dir.resolve("huge.safetensors"), ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(Long.MIN_VALUE).array());
        assertRefused(file, "header length 9223372036854775808 goes beyond the end of the file (64 bytes)");
    }

    @Test
    void refusesAFileTooShortForTheHeaderLength() throws Exception {
        assertRefused(Files.write(dir.resolve("short.safetensors"), new byte[] {1, 2, 3}),
                "3 bytes, too short for safetensors (an 8-byte header length, then a JSON header)");
    }

    @Test
    void refusesAHeaderThatIsNotAJsonObject() throws Exception {
        assertRefused(file("array.safetensors", "[1, 2, 3]", 0), "its header is not a JSON object (it does not start with '{')");
        assertRefused(file("text.safetensors", "not a checkpoint", 0), "its header is not a JSON object (it does not start with '{')");
        Path unterminated = file("open.safetensors", "{\"a\":{\"dtype\":\"F32\"", 0);
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> Safetensors.read(unterminated, manager)).isInstanceOf(CorruptFileException.class)
                    .hasMessageStartingWith(unterminated + ": its header is not a valid JSON object (")
                    .hasMessageEndingWith(DAMAGED).hasMessageNotContaining("\n");
        }
        assertRefused(file("trailing.safetensors", "{} {}", 0), "its header has more after its JSON object");
    }

    @Test
    void refusesAnUnknownDtype() throws Exception {
        Path file = file("f8.safetensors", "{" + tensor("w", "F8_E5M2", "[4]", 0, 4) + "}", 4);
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> Safetensors.read(file, manager)).isInstanceOf(CorruptFileException.class).hasMessage(file
                    + ": tensor 'w' has dtype 'F8_E5M2', which Creamery does not read (it reads F64, F32, F16, BF16, I64, I32, I8, U8, "
                    + "BOOL); convert the tensor to one of those, e.g. float32, and write the file again");
        }
    }

    @Test
    void refusesOverlappingOffsets() throws Exception {
        assertRefused(file("overlap.safetensors", "{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[2]", 4, 12) + "}", 12),
                "tensors 'a' and 'b' overlap (data_offsets [0, 8] and [4, 12])");
    }

    @Test
    void refusesOffsetsThatLeaveTheFile() throws Exception {
        assertRefused(file("cut.safetensors", "{" + tensor("a", "F32", "[2]", 0, 8) + "}", 5),
                "tensor 'a' has data_offsets [0, 8] beyond the 5 bytes of data (the file is cut short or its header is wrong)");
        // A shape of 2^40 elements is refused from the header alone, long before anything is allocated.
        assertRefused(file("vast.safetensors", "{" + tensor("a", "F32", "[1099511627776]", 0, 4398046511104L) + "}", 8),
                "tensor 'a' has data_offsets [0, 4398046511104] beyond the 8 bytes of data (the file is cut short or its header is wrong)");
    }

    @Test
    void refusesOffsetsThatDisagreeWithShapeAndDtype() throws Exception {
        assertRefused(file("size.safetensors", "{" + tensor("a", "F32", "[3]", 0, 8) + "}", 8),
                "tensor 'a' has data_offsets [0, 8] (8 bytes) but its shape [3] of F32 needs 12 bytes");
        assertRefused(file("overflow.safetensors", "{" + tensor("a", "F32", "[4294967296,4294967296]", 0, 8) + "}", 8),
                "tensor 'a' has shape [4294967296, 4294967296], whose size overflows");
        assertRefused(file("backwards.safetensors", "{" + tensor("a", "F32", "[2]", 8, 0) + "}", 8),
                "tensor 'a' has data_offsets [8, 0] that end before they begin");
        assertRefused(file("negative.safetensors", "{" + tensor("a", "F32", "[-2]", 0, 8) + "}", 8),
                "tensor 'a' shape has -2, not a whole number from 0 to 2^63 - 1");
        assertRefused(file("gap.safetensors", "{" + tensor("a", "F32", "[1]", 4, 8) + "}", 8), "bytes 0 to 4 of the data belong to no tensor");
        assertRefused(file("tail.safetensors", "{" + tensor("a", "F32", "[1]", 0, 4) + "}", 8), "the data has 4 bytes after its last tensor");
    }

    @Test
    void refusesATensorListedTwice() throws Exception {
        assertRefused(file("twice.safetensors", "{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("a", "F32", "[1]", 4, 8) + "}", 8),
                "tensor 'a' is listed twice in the header");
    }

    @Test
    void refusesMalformedMetadataAndEntries() throws Exception {
        assertRefused(file("meta.safetensors", "{\"__metadata__\":{\"epoch\":3}}", 0), "__metadata__ entry 'epoch' is not a string");
        assertRefused(file("entry.safetensors", "{\"a\":[1]}", 0), "tensor 'a' is not described by a JSON object");
        assertRefused(file("lacking.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "tensor 'a' lacks its data_offsets");
    }

    @Test
    void predictRefusesADamagedCheckpointWithOneSentenceAndStatusTwo() throws Exception {
        Path weights = file("bad.safetensors", "{" + tensor("0.weight", "F32", "[32,64]", 0, 8192) + "}", 100);
        Path input = dir.resolve("x.npy");
        try (NDManager manager = NDManager.newBaseManager()) {
            Npy.write(input, manager.randomNormal(new Shape(2, 1, 8, 8)));
        }
        Path output = dir.resolve("y.npy");
        Result result = creamery("predict", "--model", "tiny-mlp-l", "--weights", weights.toString(), "--input", input.toString(),
                "--output", output.toString());
        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("error: " + weights + ": tensor '0.weight' has data_offsets [0, 8192] beyond the 100 bytes of "
                + "data (the file is cut short or its header is wrong)" + DAMAGED + System.lineSeparator());
        assertThat(output).doesNotExist();
    }

    @Test
    void aDamagedTeacherIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path weights = file("teacher.safetensors", "{" + tensor("0.weight", "F32", "[32,64]", 0, 8192) + "}", 100);
        Path store = dir.resolve("store");
        Path job = Jobs.write(dir, "distill.conf", "job { compute { device = cpu, threads = 1 }\n"
                + "data { type = synthetic, size = 8, classes = 4, train-size = 64, validation-size = 32, test-size = 32 }\n"
                + "model = tiny-mlp-s, training { epochs = 1 }\n"
                + "distillation { mode = online, store = \"" + store + "\", top-k = 2, teacher { model = tiny-mlp-l, weights = \""
                + weights + "\" } } }");
        String expected = "error: distill.conf: job.distillation.teacher.weights - " + weights + ": tensor '0.weight' has data_offsets "
                + "[0, 8192] beyond the 100 bytes of data (the file is cut short or its header is wrong)" + DAMAGED + System.lineSeparator();
        Result save = creamery("save-logits", job.toString());
        assertThat(save.status()).isEqualTo(2);
        assertThat(save.err()).isEqualTo(expected);
        assertThat(store).doesNotExist();
        Path out = dir.resolve("run");
        Result train = creamery("train", job.toString(), "--out", out.toString());
        assertThat(train.status()).isEqualTo(2);
        assertThat(train.err()).isEqualTo(expected);
        assertThat(out).doesNotExist();
    }

    @Test
    void aRunsExportedWeightsLoadThroughTheStrictReader() throws Exception {
        ResolvedModel model = new ModelResolver(Jobs.registry()).resolve("tiny-mlp-s");
        Path weights = dir.resolve("model.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = model.build(manager);
            Safetensors.write(weights, StateDict.tensors(block));
            Block loaded = model.load(weights, manager);
            StateDict.tensors(block).forEach((name, tensor) ->
                    assertThat(StateDict.tensors(loaded).get(name).toFloatArray()).as(name).containsExactly(tensor.toFloatArray()));
            assertThat(Safetensors.header(weights).tensors()).extracting(Safetensors.Entry::name)
                    .containsExactlyElementsOf(StateDict.names(block).keySet());
        }
    }
}

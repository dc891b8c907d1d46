package dev.creamery.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.creamery.api.Task;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;

/**
 * A reference fixture through the command line, as a user runs an official checkpoint: the
 * fixture's weights written as a safetensors file with the official names (every tensor of the
 * official {@code state_dict}, derived buffers included), all its inputs as one float32 NCHW
 * {@code .npy} batch, then {@code creamery predict --model <variant> --weights W.safetensors
 * --input X.npy --output Y.npy}, and each input's rows of {@code Y.npy} within that input's
 * tolerance. The testkit does not depend on the runtime, so the plugin's test hands in the runtime's
 * entry point ({@code Creamery::execute}, with the runtime in test scope).
 */
public final class CommandLineReference {
    private CommandLineReference() {}

    /** The command line's in-JVM entry point, {@code dev.creamery.runtime.cli.Creamery#execute}. */
    @FunctionalInterface
    public interface CommandLine {
        /**
         * @param args the arguments after {@code creamery}
         * @param out standard output
         * @param err standard error
         * @return the exit status
         */
        int execute(String[] args, PrintWriter out, PrintWriter err);
    }

    /**
     * @param creamery the command line
     * @param variant the variant name for {@code --model}
     * @param task the variant's own input: when the fixture's input has another shape, predict is told with {@code --input-shape}
     * @param fixture its fixture
     */
    public static void assertPredictGivesTheOfficialLogits(CommandLine creamery, String variant, Task task, ReferenceFixture fixture,
            double factor) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("reference-" + variant);
            Path weights = dir.resolve(variant + ".safetensors");
            Path input = dir.resolve("inputs.npy");
            Path output = dir.resolve("logits.npy");
            List<ReferenceInput> inputs = fixture.inputs();
            try (NDManager manager = NDManager.newBaseManager()) {
                writeSafetensors(weights, fixture.weights(manager));
                writeNpy(input, NDArrays.concat(new NDList(inputs.stream().map(i -> i.input(manager)).toArray(NDArray[]::new))));
            }

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            List<String> command = new ArrayList<>(List.of("predict", "--model", variant, "--weights", weights.toString(), "--input",
                    input.toString(), "--output", output.toString()));
            Shape shape = inputs.get(0).shape();
            if (!shape.slice(1).equals(task.inputShape(1).slice(1))) {
                // A fully convolutional variant whose fixture runs at another resolution than its own.
                command.addAll(List.of("--input-shape", shape.get(1) + "," + shape.get(2) + "," + shape.get(3)));
            }
            String[] args = command.toArray(String[]::new);
            int status = creamery.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
            assertThat(status).as("creamery %s%nstdout: %s%nstderr: %s", String.join(" ", args), out, err).isZero();

            try (NDManager results = NDManager.newBaseManager(); InputStream in = Files.newInputStream(output)) {
                NDArray logits = NDList.decode(results, in).singletonOrThrow();
                assertThat(logits.getShape().get(0)).as("rows of %s", output)
                        .isEqualTo(inputs.stream().mapToLong(i -> i.shape().get(0)).sum());
                SoftAssertions softly = new SoftAssertions();
                long row = 0;
                for (ReferenceInput reference : inputs) {
                    long rows = reference.shape().get(0);
                    double difference = reference.maxAbsDifference(logits.get(row + ":" + (row + rows)));
                    System.out.printf(Locale.ROOT, "%s %s predict: max |ours - official| %.3g (tolerance %.3g)%n", reference.key(),
                            reference.seed(), difference, reference.tolerance(factor));
                    softly.assertThat(difference).as("%s through creamery predict, max |ours - official|", reference)
                            .isLessThanOrEqualTo(reference.tolerance(factor));
                    row += rows;
                }
                softly.assertAll();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** Writes a float32 array as {@code .npy} (format 1.0, little-endian, C order). */
    /** Writes the tensors as a user's official checkpoint is: safetensors, by name, in order (DJL's own writer). */
    private static void writeSafetensors(Path file, Map<String, NDArray> tensors) throws IOException {
        NDList list = new NDList();
        tensors.forEach((name, tensor) -> {
            tensor.setName(name);
            list.add(tensor);
        });
        try (OutputStream out = Files.newOutputStream(file)) {
            list.encode(out, NDList.Encoding.SAFETENSORS);
        }
    }

    static void writeNpy(Path file, NDArray array) throws IOException {
        NDArray values = array.toType(DataType.FLOAT32, false);
        StringJoiner shape = new StringJoiner(", ", "(", values.getShape().dimension() == 1 ? ",)" : ")");
        for (long d : values.getShape().getShape()) {
            shape.add(Long.toString(d));
        }
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
        int padding = (64 - (10 + header.length() + 1) % 64) % 64;
        header = header + " ".repeat(padding) + "\n";
        float[] floats = values.toFloatArray();
        ByteBuffer data = ByteBuffer.allocate(floats.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(floats);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
            out.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length()).array());
            out.write(header.getBytes(StandardCharsets.ISO_8859_1));
            out.write(data.array());
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }
}

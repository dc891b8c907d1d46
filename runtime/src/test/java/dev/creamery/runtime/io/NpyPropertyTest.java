package dev.creamery.runtime.io;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.creamery.runtime.Mutations;
import dev.creamery.runtime.io.CorruptFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Whatever bytes a {@code .npy} file holds, reading it gives its float32 array or one {@link CorruptFileException} naming it. */
class NpyPropertyTest {
    private static NDManager manager;
    private static byte[] valid;

    @BeforeContainer
    static void writeAValidFile() throws IOException {
        manager = NDManager.newBaseManager();
        Path file = Mutations.file("valid.npy", new byte[0]);
        Npy.write(file, manager.randomNormal(new Shape(2, 1, 3, 3)));
        valid = Files.readAllBytes(file);
    }

    @AfterContainer
    static void closeTheManager() {
        manager.close();
    }

    private static void readsOrRefuses(byte[] bytes) {
        Path file = Mutations.file("candidate.npy", bytes);
        try (NDManager scope = manager.newSubManager()) {
            NDArray array = Npy.read(file, scope);
            assertThat(array.getShape().size() * 4).isLessThanOrEqualTo(bytes.length);
        } catch (CorruptFileException e) {
            assertThat(e.getMessage()).startsWith(file + ": ").doesNotContain("\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Property(tries = 300)
    void randomBytesAreReadOrRefused(@ForAll @Size(max = 200) byte[] bytes) {
        readsOrRefuses(bytes);
    }

    @Provide
    Arbitrary<List<Mutations.Mutation>> mutations() {
        return Mutations.mutations(128);
    }

    @Property(tries = 500)
    void mutationsOfAValidFileAreReadOrRefused(@ForAll("mutations") List<Mutations.Mutation> mutations) {
        readsOrRefuses(Mutations.apply(valid, mutations));
    }

    @Provide
    Arbitrary<byte[]> files() {
        Arbitrary<String> keys = Arbitraries.of("'descr'", "'fortran_order'", "'shape'", "\"shape\"", "'extra'", "descr", "''");
        Arbitrary<String> values = Arbitraries.of("'<f4'", "'<f8'", "'|u1'", "'>f4'", "True", "False", "(2, 3)", "(6,)", "()",
                "(2,3,)", "(-1,)", "(99999999999999999999,)", "[('a', '<f4')]", "(1, (2,))", "'", "(", "{", "None", "1.5", "'a\\'b'");
        Arbitrary<String> dictionaries = Combinators.combine(keys, values).as((k, v) -> k + ": " + v).list().ofMaxSize(4)
                .map(entries -> "{" + String.join(", ", entries) + "}");
        Arbitrary<String> likely = Combinators.combine(values, Arbitraries.of("False", "True", "0"), values)
                .as((d, f, s) -> "{'descr': " + d + ", 'fortran_order': " + f + ", 'shape': " + s + ", }");
        return Combinators.combine(Arbitraries.oneOf(dictionaries, likely), Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(0, 64)).as((header, major, data) -> {
                    byte[] text = (header + "\n").getBytes(StandardCharsets.UTF_8);
                    int prefix = major == 1 ? 10 : 12;
                    ByteBuffer bytes = ByteBuffer.allocate(prefix + text.length + data).order(ByteOrder.LITTLE_ENDIAN);
                    bytes.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', major.byteValue(), 0});
                    if (major == 1) {
                        bytes.putShort((short) text.length);
                    } else {
                        bytes.putInt(text.length);
                    }
                    return bytes.put(text).array();
                });
    }

    @Property(tries = 1000)
    void generatedHeadersAreReadOrRefused(@ForAll("files") byte[] bytes) {
        readsOrRefuses(bytes);
    }
}

package dev.creamery.cream;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.creamery.runtime.cli.Creamery;
import dev.creamery.testkit.ReferenceFixture;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint of another child net is refused through creamery predict, every mismatch listed, and nothing is written. */
class CheckpointTest {
    @TempDir
    Path dir;

    @Test
    void anotherChildNetsCheckpointIsListedTensorByTensor() throws Exception {
        Path weights = dir.resolve("cream-14.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = ReferenceFixture.load("/reference/cream-14.json.gz").weights(manager);
            NDList list = new NDList();
            tensors.forEach((name, tensor) -> {
                tensor.setName(name);
                list.add(tensor);
            });
            try (OutputStream out = Files.newOutputStream(weights)) {
                list.encode(out, NDList.Encoding.SAFETENSORS);
            }
            Path input = dir.resolve("x.npy");
            Files.write(input, npyHeaderAndZeros());
            Path output = dir.resolve("y.npy");
            StringWriter err = new StringWriter();
            int status = Creamery.execute(new String[] {"predict", "--model", "cream-43", "--weights", weights.toString(), "--input",
                    input.toString(), "--output", output.toString()}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
            assertThat(status).isEqualTo(2);
            // Cream-43's stage 2 ends in k3e6 where Cream-14's has k5e6; its stage 4 has three blocks where Cream-14's has one.
            assertThat(err.toString()).contains(weights + " does not match the model")
                    .contains("blocks.2.1.conv_dw.weight has shape (240, 1, 5, 5) but the model needs (240, 1, 3, 3)")
                    .contains("missing blocks.4.1.conv_pw.weight (576, 96, 1, 1)");
            assertThat(output).doesNotExist();
        }
    }

    /** A float32 .npy of shape (1, 3, 96, 96), zeros. */
    private static byte[] npyHeaderAndZeros() {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 96, 96), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        String padded = header + " ".repeat(pad) + "\n";
        byte[] head = padded.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] data = new byte[10 + head.length + 4 * 3 * 96 * 96];
        data[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, data, 1, 5);
        data[6] = 1;
        data[7] = 0;
        data[8] = (byte) (head.length & 0xff);
        data[9] = (byte) (head.length >> 8);
        System.arraycopy(head, 0, data, 10, head.length);
        return data;
    }
}

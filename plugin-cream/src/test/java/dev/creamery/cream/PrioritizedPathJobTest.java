package dev.creamery.cream;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.creamery.runtime.cli.Creamery;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole Cream search through the command line, on small synthetic images: the supernet trains
 * with the board and meta updates, the board strategy evaluates the board's paths, the winner is
 * retrained and tested; a resumed run restores the board from the checkpoint instead of training
 * again; a FLOPs window no path meets is refused before any training.
 */
@Tag("slow")
class PrioritizedPathJobTest {
    @TempDir
    Path dir;

    private static final String JOB = """
            job {
              name = cream-small
              seed = 3
              compute { device = cpu, threads = 1 }
              data { type = synthetic, size = 8, classes = 4, train-size = 384, validation-size = 64, test-size = 64 }
              space { type = cream, depths = [1, 1, 1, 1, 1] }
              evaluator {
                type = prioritized-path
                supernet { epochs = 3, batch-size = 16, lr = 3e-3, warmup-epochs = 0 }
                warmup-epochs = 1, board-size = 4, update-iter = 5, slice = 2
              }
              strategy { type = board }
              finalize { retrain { epochs = 1, batch-size = 16, warmup-epochs = 0 } }
            }
            """;

    private int creamery(StringWriter err, String... args) {
        return Creamery.execute(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    }

    @Test
    void searchesFromTheBoardAndResumesWithIt() throws Exception {
        Path job = Files.writeString(dir.resolve("cream.conf"), JOB);
        Path run = dir.resolve("run");
        StringWriter err = new StringWriter();
        assertThat(creamery(err, "run", job.toString(), "--out", run.toString())).as(err.toString()).isZero();

        List<String> trials = Files.readAllLines(run.resolve("trials.jsonl"));
        assertThat(trials).hasSizeBetween(1, 4);
        Path checkpoint = run.resolve("evaluator/supernet.checkpoint.safetensors");
        try (NDManager manager = NDManager.newBaseManager(); InputStream in = Files.newInputStream(checkpoint)) {
            Map<String, NDArray> tensors = named(NDList.decode(manager, in));
            assertThat(tensors.get("model.board.size").getFloat(0)).isEqualTo((float) trials.size());
            // Meta updates ran: the meta-matching network's momentum moved.
            assertThat(tensors.get("model.meta.momentum_weight").abs().sum().getFloat()).isPositive();
        }
        JsonObject result = JsonParser.parseString(Files.readString(run.resolve("result.json"))).getAsJsonObject();
        assertThat(result.getAsJsonObject("best").has("test_accuracy")).isTrue();

        // A stop after the supernet: the journal is lost, the checkpoint is not. The board comes back with it.
        Files.delete(run.resolve("trials.jsonl"));
        var trained = Files.getLastModifiedTime(checkpoint);
        err = new StringWriter();
        StringWriter out = new StringWriter();
        int status = Creamery.execute(new String[] {"run", job.toString(), "--out", run.toString(), "--resume"},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(status).as(err.toString()).isZero();
        assertThat(Files.getLastModifiedTime(checkpoint)).as("the supernet is not trained again").isEqualTo(trained);
        assertThat(Files.readAllLines(run.resolve("trials.jsonl")).stream().map(PrioritizedPathJobTest::architecture).toList())
                .isEqualTo(trials.stream().map(PrioritizedPathJobTest::architecture).toList());
    }

    @Test
    void aFlopsWindowNoPathMeetsIsRefusedBeforeTraining() throws Exception {
        Path job = Files.writeString(dir.resolve("cream.conf"), JOB.replace("slice = 2", "slice = 2, flops = [1G, inf]"));
        Path run = dir.resolve("run");
        StringWriter err = new StringWriter();
        assertThat(creamery(err, "run", job.toString(), "--out", run.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("evaluator.flops [").contains("admits no path").contains("widen the window");
        assertThat(run.resolve("evaluator/supernet.checkpoint.safetensors")).doesNotExist();
    }

    private static Map<String, NDArray> named(NDList list) {
        Map<String, NDArray> map = new java.util.HashMap<>();
        for (NDArray array : list) {
            map.put(array.getName(), array);
        }
        return map;
    }

    private static String architecture(String line) {
        return JsonParser.parseString(line).getAsJsonObject().get("canonical").getAsString();
    }
}

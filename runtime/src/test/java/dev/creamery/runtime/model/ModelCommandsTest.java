package dev.creamery.runtime.model;

import static dev.creamery.runtime.Commands.creamery;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.creamery.api.StateDict;
import dev.creamery.runtime.Commands.Result;
import dev.creamery.runtime.Jobs;
import dev.creamery.runtime.cli.Creamery;
import dev.creamery.runtime.io.Npy;
import dev.creamery.runtime.io.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** models, profile, predict and train with a model family. */
class ModelCommandsTest {
    @TempDir
    Path dir;

    @Test
    void modelsListsVariantsWithParamsAndFlops() {
        Result models = creamery("models");
        assertThat(models.status()).isZero();
        // tiny-mlp-s on 1x8x8 -> 4: 64*16+16 + 16*4+4 = 1108 parameters, 64*16 + 16*4 = 1088 FLOPs.
        assertThat(models.out()).containsPattern("tiny-mlp\\s+tiny-mlp-s\\s+1108\\s+1088");
        assertThat(models.out()).contains("tiny-mlp-l");
    }

    @Test
    void profileOfAVariantReportsTheFamilyCount() {
        Result profile = creamery("profile", "tiny-mlp-l", "--json", "--batch", "1,8", "--repeats", "2");
        assertThat(profile.status()).as(profile.err()).isZero();
        JsonObject json = JsonParser.parseString(profile.out()).getAsJsonObject();
        assertThat(json.get("params").getAsLong()).isEqualTo(64 * 32 + 32 + 32 * 32 + 32 + 32 * 4 + 4);
        assertThat(json.getAsJsonArray("measurements")).hasSize(2);
        assertThat(json.getAsJsonArray("measurements").get(1).getAsJsonObject().get("images_per_second").getAsDouble()).isPositive();
        Result architecture = creamery("profile", "tiny-mlp:depth=1 width=[8] activation=tanh", "--batch", "2", "--repeats", "1");
        assertThat(architecture.status()).as(architecture.err()).isZero();
        assertThat(architecture.out()).contains("556 params");
        assertThat(creamery("profile", "tiny-mlp-xl").err()).contains("did you mean 'tiny-mlp-l'");
        assertThat(creamery("profile", "tiny-mlp:depth=9 width=[8] activation=tanh").err()).contains("depth");
    }

    @Test
    void predictLoadsAnOfficialCheckpointAndGivesTheModelsLogits() throws Exception {
        ResolvedModel model = new ModelResolver(Jobs.registry()).resolve("tiny-mlp-l");
        Path weights = dir.resolve("official.safetensors");
        Path input = dir.resolve("x.npy");
        Path output = dir.resolve("y.npy");
        float[] expected;
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = model.build(manager);
            Map<String, NDArray> official = new LinkedHashMap<>(StateDict.tensors(block));
            official.put(TestFamilyPlugin.DERIVED_BUFFER, manager.create(3L));
            Safetensors.write(weights, official);
            NDArray x = manager.randomNormal(new Shape(3, 1, 8, 8));
            Npy.write(input, x);
            expected = block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow().toFloatArray();
        }
        Result predict = creamery("predict", "--model", "tiny-mlp-l", "--weights", weights.toString(), "--input", input.toString(),
                "--output", output.toString());
        assertThat(predict.status()).as(predict.err()).isZero();
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThat(Npy.read(output, manager).toFloatArray()).containsExactly(expected);
        }
        Result wrongVariant = creamery("predict", "--model", "tiny-mlp-s", "--weights", weights.toString(), "--input",
                input.toString(), "--output", dir.resolve("z.npy").toString());
        assertThat(wrongVariant.status()).isEqualTo(2);
        assertThat(wrongVariant.err()).contains("does not match the model").contains("has shape (32, 64) but the model needs (16, 64)")
                .contains("unexpected 5.weight");
    }

    @Test
    void trainTrainsAVariantOnTheDataAndExportsIt() throws Exception {
        Path job = Jobs.write(dir, "train.conf", """
                job {
                  compute { threads = 1 }
                  data { type = synthetic, size = 8, classes = 4, noise = 0.2 }
                  model = tiny-mlp-l
                  training { epochs = 4, batch-size = 32, lr = 3e-3, warmup-epochs = 0 }
                }
                """);
        Result validate = creamery("validate", job.toString(), "--quiet");
        assertThat(validate.out()).contains("is valid (training job 'train')");
        Path out = dir.resolve("runs/train");
        Result train = creamery("train", job.toString(), "--out", out.toString());
        assertThat(train.status()).as(train.err()).isZero();
        assertThat(train.out()).contains("tiny-mlp-l").contains("test accuracy");
        JsonObject result = JsonParser.parseString(Files.readString(out.resolve("result.json"))).getAsJsonObject();
        assertThat(result.get("test_accuracy").getAsDouble()).isGreaterThan(0.6);
        assertThat(result.getAsJsonArray("epochs")).hasSize(4);
        // Its curves, as the dashboard draws them: a line through the four epochs, a dot at each.
        assertThat(Files.readString(out.resolve("plots/training-loss.svg")).split("<circle", -1)).hasSize(1 + 4 + 1);
        assertThat(out.resolve("plots/training-accuracy.svg")).exists();
        assertThat(out.resolve("report.png")).exists();
        Result again = creamery("train", job.toString(), "--out", out.toString(), "--resume");
        assertThat(again.status()).as(again.err()).isZero();
        JsonObject resumed = JsonParser.parseString(Files.readString(out.resolve("result.json"))).getAsJsonObject();
        assertThat(resumed.get("test_accuracy")).isEqualTo(result.get("test_accuracy"));
        Result predict = creamery("predict", "--model", out.resolve("model.json").toString(), "--weights",
                out.resolve("model.safetensors").toString(), "--input", writeInput(), "--output", dir.resolve("p.npy").toString());
        assertThat(predict.status()).as(predict.err()).isZero();
    }

    @Test
    void validatingATrainingJobChecksItsModelAndModelSettings() throws Exception {
        Path job = Jobs.write(dir, "bad.conf", """
                job {
                  data { type = synthetic, size = 8, classes = 4 }
                  model = tiny-mlp-l
                  model-settings { depth = 3 }
                }
                """);
        Result settings = creamery("validate", job.toString());
        assertThat(settings.status()).isEqualTo(Creamery.USAGE);
        assertThat(settings.err()).contains("job.model-settings").contains("unknown setting 'depth'");
        Result unknown = creamery("validate", job.toString(), "--set", "model=tiny-mlp-xl", "--set", "model-settings={}");
        assertThat(unknown.status()).isEqualTo(Creamery.USAGE);
        assertThat(unknown.err()).contains("job.model").contains("unknown model 'tiny-mlp-xl'").contains("tiny-mlp-l");
    }

    private String writeInput() throws Exception {
        Path input = dir.resolve("in.npy");
        try (NDManager manager = NDManager.newBaseManager()) {
            Npy.write(input, manager.randomNormal(new Shape(2, 1, 8, 8)));
        }
        return input.toString();
    }
}

package dev.creamery.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.creamery.api.CheckpointMismatchException;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.StateDict;
import dev.creamery.api.Variant;
import dev.creamery.testkit.Blocks;
import dev.creamery.testkit.ReferenceFixture;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Official checkpoints: what is adapted, and what is refused with a list of the mismatches. */
class CheckpointTest {
    private final ModelFamily efficientVit = new EfficientVitFamily(ReferenceConf.efficientVit());
    private final ModelFamily tinyVit = new TinyVitFamily(ReferenceConf.tinyVit());

    @Test
    void checkpointOfAnotherEfficientVitIsRefusedWithNamesAndShapes() {
        Variant m1 = efficientVit.variant("efficientvit-m1");
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Blocks.initialize(efficientVit.build(m1.architecture(), m1.task()), manager, m1.task());
            Map<String, NDArray> m0 = efficientVit.fromOfficial(
                    ReferenceFixture.load("/reference/efficientvit-m0.json.gz").weights(manager), m1.architecture(), m1.task());
            assertThatThrownBy(() -> StateDict.load(block, m0, "efficientvit_m0.safetensors"))
                    .isInstanceOf(CheckpointMismatchException.class)
                    .hasMessageStartingWith("efficientvit_m0.safetensors does not match the model")
                    .satisfies(e -> assertThat(((CheckpointMismatchException) e).mismatches()).contains(
                            "patch_embed.0.c.weight has shape (8, 3, 3, 3) but the model needs (16, 3, 3, 3)",
                            "blocks1.0.mixer.m.attn.dws.0.c.weight has shape (16, 1, 5, 5) but the model needs (16, 1, 7, 7)",
                            "unexpected blocks1.0.mixer.m.attn.qkvs.3.c.weight (48, 16, 1, 1)"));
        }
    }

    @Test
    void checkpointOfAnotherTinyVitIsRefusedWithNamesAndShapes() {
        Variant v11 = tinyVit.variant("tinyvit-11m");
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Blocks.initialize(tinyVit.build(v11.architecture(), v11.task()), manager, v11.task());
            Map<String, NDArray> v5 = tinyVit.fromOfficial(
                    ReferenceFixture.load("/reference/tinyvit-5m.json.gz").weights(manager), v11.architecture(), v11.task());
            assertThatThrownBy(() -> StateDict.load(block, v5, "tiny_vit_5m.safetensors"))
                    .isInstanceOf(CheckpointMismatchException.class)
                    .satisfies(e -> assertThat(((CheckpointMismatchException) e).mismatches()).contains(
                            "layers.2.blocks.0.attn.attention_biases has shape (5, 196) but the model needs (8, 196)",
                            "head.weight has shape (1000, 320) but the model needs (1000, 448)"));
        }
    }

    @Test
    void checkpointOfAnotherIrpeConfigurationIsRefusedWithNamesAndShapes() {
        ModelFamily deit = new DeitFamily(ReferenceConf.deit());
        Variant qkv = deit.variant("irpe-deit-small-patch16-224-ctx-product-50-shared-qkv");
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Blocks.initialize(deit.build(qkv.architecture(), qkv.task()), manager, qkv.task());
            Map<String, NDArray> euc = deit.fromOfficial(ReferenceFixture.load(
                    "/reference/irpe-deit-small-patch16-224-ctx-euc-20-shared-k.json.gz").weights(manager), qkv.architecture(), qkv.task());
            assertThatThrownBy(() -> StateDict.load(block, euc, "deit_small_patch16_224_ctx_euc_20_shared_k.safetensors"))
                    .isInstanceOf(CheckpointMismatchException.class)
                    .satisfies(e -> assertThat(((CheckpointMismatchException) e).mismatches()).contains(
                            "blocks.0.attn.rpe_k.lookup_table_weight has shape (1, 64, 82) but the model needs (1, 64, 50)",
                            "missing blocks.0.attn.rpe_q.lookup_table_weight (1, 64, 50)",
                            "missing blocks.11.attn.rpe_v.lookup_table_weight (1, 50, 64)"));
        }
    }

    @Test
    void indexBuffersThatDifferFromTheDerivedOnesAreRefused() {
        Variant m0 = efficientVit.variant("efficientvit-m0");
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> weights = ReferenceFixture.load("/reference/efficientvit-m0.json.gz").weights(manager);
            String name = "blocks2.3.mixer.m.attn.attention_bias_idxs";
            weights.get(name).set(new ai.djl.ndarray.index.NDIndex("0, 1"), 7L);
            assertThatThrownBy(() -> efficientVit.fromOfficial(weights, m0.architecture(), m0.task()))
                    .isInstanceOf(CheckpointMismatchException.class)
                    .hasMessageContaining(name + " (49, 49) differs from the one the model derives (49, 49): the offset index of a 7x7"
                            + " attention window");
        }
    }

    @Test
    void tinyVitCheckpointsMayCarryTheIndexBuffers() {
        Variant v5 = tinyVit.variant("tinyvit-5m");
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> weights = new LinkedHashMap<>();
            ReferenceFixture.load("/reference/tinyvit-5m.json.gz").weights(manager).forEach((name, tensor) -> {
                weights.put(name, tensor);
                if (name.endsWith(".attn.attention_biases")) {
                    int window = (int) Math.round(Math.sqrt(tensor.getShape().get(1)));
                    long n = (long) window * window;
                    weights.put(name.replace("attention_biases", "attention_bias_idxs"),
                            manager.create(AttentionBias.offsets(window), new Shape(n, n)));
                }
            });
            Map<String, NDArray> adapted = tinyVit.fromOfficial(weights, v5.architecture(), v5.task());
            assertThat(adapted.keySet()).noneMatch(n -> n.endsWith("attention_bias_idxs") || n.endsWith("num_batches_tracked"));
            Block block = Blocks.initialize(tinyVit.build(v5.architecture(), v5.task()), manager, v5.task());
            StateDict.load(block, adapted, "tiny_vit_5m_22kto1k_distill.safetensors");
        }
    }

    /** The official EfficientViT loader turns matrices into 1x1 kernels ({@code d[k][:, :, None, None]}); so do we. */
    @Test
    void efficientVitPointwiseKernelsMayBeMatrices() {
        Variant m0 = efficientVit.variant("efficientvit-m0");
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> weights = ReferenceFixture.load("/reference/efficientvit-m0.json.gz").weights(manager);
            String name = "blocks2.1.se.fc1.weight";
            NDArray kernel = weights.get(name);
            weights.put(name, kernel.reshape(64, 256));
            Block block = Blocks.initialize(efficientVit.build(m0.architecture(), m0.task()), manager, m0.task());
            StateDict.load(block, efficientVit.fromOfficial(weights, m0.architecture(), m0.task()), "efficientvit_m0.safetensors");
            assertThat(StateDict.tensors(block).get(name).contentEquals(kernel)).isTrue();
        }
    }
}

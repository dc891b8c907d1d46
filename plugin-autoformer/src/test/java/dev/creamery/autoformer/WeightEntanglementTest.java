package dev.creamery.autoformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.creamery.api.Architecture;
import dev.creamery.api.CheckpointMismatchException;
import dev.creamery.api.StateDict;
import dev.creamery.api.Supernet;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.testkit.Blocks;
import dev.creamery.testkit.ReferenceFixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Members of the supernet share the leading slices of its weights, and only those. */
class WeightEntanglementTest {
    private static final Task TASK = Task.square(1, 28, 10);

    @Test
    void gradientsLandOnlyInTheActiveMembersSlices() {
        AutoFormerSpace space = new AutoFormerSpace(Preset.TINY_28, 0.0);
        Architecture member = Architecture.of("depth", 3, "mlp_ratio", List.of(2, 3, 2), "num_heads", List.of(2, 3, 2), "embed_dim", 64);
        try (NDManager manager = NDManager.newBaseManager()) {
            Supernet supernet = space.supernet(TASK);
            Blocks.initialize(supernet.block(), manager, TASK);
            supernet.activate(member);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = Blocks.forward(supernet.block(), Blocks.randomInput(manager, TASK, 4, 3), true);
                collector.backward(logits.mul(manager.randomUniform(-1f, 1f, logits.getShape())).sum());
            }
            Map<String, Parameter> parameters = StateDict.names(supernet.block());
            assertOnlyInside(parameters.get("pos_embed"), ":, :, :64");
            assertOnlyInside(parameters.get("patch_embed_super.proj.weight"), ":64");
            // Layer 1: 3 heads of 32, so 3 x 96 interleaved qkv rows; MLP ratio 3 at width 64, so 192 hidden units.
            assertOnlyInside(parameters.get("blocks.1.attn.qkv.weight"), ":288, :64");
            assertOnlyInside(parameters.get("blocks.1.attn.qkv.bias"), ":288");
            assertOnlyInside(parameters.get("blocks.1.attn.proj.weight"), ":64, :96");
            assertOnlyInside(parameters.get("blocks.1.fc1.weight"), ":192, :64");
            assertOnlyInside(parameters.get("blocks.1.fc2.weight"), ":64, :192");
            assertOnlyInside(parameters.get("blocks.2.attn_layer_norm.weight"), ":64");
            assertOnlyInside(parameters.get("head.weight"), ":, :64");
            for (int unused = 3; unused < 5; unused++) {
                String prefix = "blocks." + unused + ".";
                parameters.forEach((name, parameter) -> {
                    if (name.startsWith(prefix)) {
                        assertThat(parameter.getArray().getGradient().abs().sum().getFloat()).as(name).isZero();
                    }
                });
            }
            assertThat(supernet.activeParameters()).contains(parameters.get("blocks.2.fc1.weight"))
                    .doesNotContain(parameters.get("blocks.3.fc1.weight"));
        }
    }

    private static void assertOnlyInside(Parameter parameter, String region) {
        NDArray gradient = parameter.getArray().getGradient();
        NDArray inside = gradient.get(new NDIndex(region));
        assertThat(inside.abs().sum().getFloat()).as(parameter.getName() + " inside " + region).isPositive();
        NDArray outside = gradient.duplicate();
        outside.set(new NDIndex(region), 0f);
        assertThat(outside.abs().sum().getFloat()).as(parameter.getName() + " outside " + region).isZero();
    }

    @Test
    void aCheckpointOfAnotherSupernetIsListedTensorByTensor() {
        AutoFormerFamily family = new AutoFormerFamily(new AutoFormerFamilySettings(0.1));
        Variant tiny = family.variant("autoformer-t");
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> small = ReferenceFixture.load("/reference/autoformer-s.json.gz").weights(manager);
            assertThatThrownBy(() -> family.fromOfficial(small, tiny.architecture(), tiny.task()))
                    .isInstanceOf(CheckpointMismatchException.class)
                    .hasMessageContaining("blocks.0.attn.qkv.weight has shape (1344, 448) but the model needs (576, 192)"
                            + " (or the supernet-t supernet's (768, 256))");
        }
    }

    @Test
    void anExportedMemberLoadsAsItIs() {
        AutoFormerFamily family = new AutoFormerFamily(new AutoFormerFamilySettings(0.0));
        Architecture architecture = family.parse("preset=tiny-28 embed_dim=64 depth=2 mlp_ratio=[2,4] num_heads=[2,1]");
        try (NDManager manager = NDManager.newBaseManager()) {
            var block = Blocks.initialize(family.build(architecture, TASK), manager, TASK);
            Map<String, NDArray> tensors = StateDict.tensors(block);
            assertThat(family.fromOfficial(tensors, architecture, TASK)).isEqualTo(tensors);
            assertThat(block.getParameters().get(0).getValue().getArray().getDataType()).isEqualTo(DataType.FLOAT32);
        }
    }
}

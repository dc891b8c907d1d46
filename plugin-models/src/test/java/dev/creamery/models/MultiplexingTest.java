package dev.creamery.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.testkit.Blocks;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Weight multiplexing: a multiplexed block's projections are one tensor for all its uses, counted
 * once, and their gradient is the sum of every use's; the Mini-DeiT variants have the official
 * parameter counts.
 */
class MultiplexingTest {
    private static final Task TASK = Task.square(1, 28, 10);
    private static final String BASE = "embed_dim=24 depth=4 num_heads=3 mlp_ratio=2 patch_size=7 use_cls_token=false use_transform=true ";
    private static final MiniVitFamily FAMILY = new MiniVitFamily(new DeitSettings(0));

    @ParameterizedTest
    @CsvSource({"mini-deit-tiny, 3090304", "mini-deit-small, 11450824", "mini-deit-base, 44098408"})
    void variantsHaveTheOfficialParameterCounts(String variant, long params) {
        Complexity complexity = FAMILY.complexity(FAMILY.variant(variant).architecture(), FAMILY.variant(variant).task());
        assertThat(complexity.params()).isEqualTo(params);
    }

    @Test
    void sharedWeightsAreOneTensorWhoseGradientSumsEveryUse() {
        Architecture shared = Architecture.parse(BASE + "repeated_times=2");
        Architecture unshared = Architecture.parse(BASE + "repeated_times=1");
        try (NDManager manager = NDManager.newBaseManager()) {
            Block twice = Blocks.initialize(FAMILY.build(shared, TASK), manager, TASK);
            Block once = Blocks.initialize(FAMILY.build(unshared, TASK), manager, TASK);
            Map<String, Parameter> sharedNames = StateDict.names(twice);
            Map<String, Parameter> unsharedNames = StateDict.names(once);
            // Unshared block 2i + r takes shared block i's projections and MLP, and use r's norms, tables and transformations.
            unsharedNames.forEach((name, parameter) -> StateDict.copy(sharedNames.get(sharedName(name)).getArray(), parameter.getArray()));
            long perUse = unsharedNames.keySet().stream().filter(n -> n.startsWith("blocks.0.") && n.matches(".*(qkv|proj|fc[12])\\..*"))
                    .mapToLong(n -> unsharedNames.get(n).getShape().size()).sum();
            assertThat(FAMILY.complexity(unshared, TASK).params() - FAMILY.complexity(shared, TASK).params()).isEqualTo(2 * perUse);

            NDArray input = Blocks.randomInput(manager, TASK, 2, 7);
            NDArray projection = manager.randomUniform(-1f, 1f, new ai.djl.ndarray.types.Shape(2, 10));
            NDArray out = backward(twice, input, projection);
            assertThat(out.sub(backward(once, input, projection)).abs().max().getFloat()).isLessThan(1e-5f);
            for (String name : new String[] {"attn.qkv.weight", "attn.proj.bias", "mlp.fc1.weight", "mlp.fc2.bias"}) {
                NDArray sum = unsharedNames.get("blocks.2." + name).getArray().getGradient()
                        .add(unsharedNames.get("blocks.3." + name).getArray().getGradient());
                NDArray gradient = sharedNames.get("blocks.1.block." + name).getArray().getGradient();
                assertThat(gradient.sub(sum).abs().max().getFloat()).as(name).isLessThan(1e-5f);
                assertThat(gradient.abs().max().getFloat()).as(name).isPositive();
            }
        }
    }

    @Test
    void aDepthThatIsNotWholeBlocksIsRefused() {
        assertThatThrownBy(() -> FAMILY.build(Architecture.parse(BASE.replace("depth=4", "depth=5") + "repeated_times=2"), TASK))
                .hasMessageContaining("depth 5 is not a whole number of blocks used 2 times each");
    }

    private static NDArray backward(Block block, NDArray input, NDArray projection) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = Blocks.forward(block, input, true);
            collector.backward(logits.mul(projection).sum());
            return logits;
        }
    }

    /** {@code blocks.J.X} of the unshared network as the shared network names it. */
    private static String sharedName(String name) {
        if (!name.startsWith("blocks.")) {
            return name;
        }
        String[] parts = name.split("\\.", 3);
        int block = Integer.parseInt(parts[1]);
        String rest = parts[2];
        String prefix = "blocks." + block / 2 + ".block.";
        for (String perUse : new String[] {"norm1", "norm2", "attn.rpe_k", "attn.conv_l", "attn.conv_w"}) {
            if (rest.startsWith(perUse + ".")) {
                // A single use keeps its head transformations in a list of one, as the official MiniAttention does.
                String tail = rest.substring(perUse.length()).replaceFirst("^\\.instances\\.0\\.", ".");
                return prefix + perUse + ".instances." + block % 2 + tail;
            }
        }
        return prefix + rest;
    }
}

package dev.creamery.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.Task;
import dev.creamery.api.nn.Module;
import dev.creamery.testkit.Blocks;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The inference form ({@link Module#prepareInference()}: folded norms, cached bias maps, the query scale
 * in the depthwise convolution) computes what the network as built does, and a training pass drops it,
 * so inference after the weights move follows them.
 */
class PreparedInferenceTest {
    private static final Task TASK = Task.square(3, 64, 7);

    @Test
    void preparedEfficientVitEqualsItselfAndFollowsTraining() {
        ModelFamily family = new EfficientVitFamily(ReferenceConf.efficientVit());
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Blocks.initialize(family.build(family.variant("efficientvit-m0").architecture(), TASK), manager, TASK);
            randomize(block, new Random(1));
            NDArray x = Blocks.randomInput(manager, TASK, 2, 3);
            NDArray plain = Blocks.forward(block, x, false);
            Module.prepareInference(block);
            assertClose(Blocks.forward(block, x, false), plain);

            Blocks.forward(block, x, true);
            randomize(block, new Random(2));
            Block fresh = Blocks.initialize(family.build(family.variant("efficientvit-m0").architecture(), TASK), manager, TASK);
            copy(block, fresh);
            NDArray moved = Blocks.forward(fresh, x, false);
            assertThat(moved.sub(plain).abs().max().getFloat()).as("the weights moved").isGreaterThan(1e-2f);
            assertClose(Blocks.forward(block, x, false), moved);
        }
    }

    /** Every parameter and statistic from U(0.5, 1.5) (variances) or U(-0.5, 0.5), so that every fold matters. */
    private static void randomize(Block block, Random random) {
        for (Pair<String, Parameter> pair : block.getParameters()) {
            NDArray array = pair.getValue().getArray();
            boolean positive = pair.getKey().endsWith("running_var") || pair.getKey().endsWith("bn_weight");
            float[] values = new float[Math.toIntExact(array.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (positive ? 0.5 + random.nextDouble() : random.nextDouble() - 0.5) * (positive ? 1 : 0.5f);
            }
            array.set(values);
        }
    }

    private static void copy(Block from, Block to) {
        var target = to.getParameters();
        for (Pair<String, Parameter> pair : from.getParameters()) {
            target.get(pair.getKey()).getArray().set(pair.getValue().getArray().toFloatArray());
        }
    }

    private static void assertClose(NDArray actual, NDArray expected) {
        float largest = expected.abs().max().getFloat();
        assertThat(actual.sub(expected).abs().max().getFloat()).isLessThan(1e-4f * Math.max(1, largest));
    }
}

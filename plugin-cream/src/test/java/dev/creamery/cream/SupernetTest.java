package dev.creamery.cream;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.creamery.api.Architecture;
import dev.creamery.api.StateDict;
import dev.creamery.api.Supernet;
import dev.creamery.api.Task;
import dev.creamery.testkit.Blocks;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each layer's six candidates keep their own weights; a path trains only its own; its FLOPs are known from the table. */
class SupernetTest {
    private static final Task TASK = Task.square(1, 28, 10);
    private static final CreamSpace SPACE = new CreamSpace(ReferenceConf.space());
    private static final Architecture PATH = Architecture.parse(
            "stage1=[k3e4,k5e6] stage2=[k7e4,k3e6] stage3=[k5e4,k7e6] stage4=[k3e4,k3e4] stage5=[k7e6,k5e6]");

    @Test
    void aPathTrainsOnlyItsOwnBlocksAndTheSharedOnes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Supernet supernet = SPACE.supernet(TASK);
            Blocks.initialize(supernet.block(), manager, TASK);
            supernet.activate(PATH);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = Blocks.forward(supernet.block(), Blocks.randomInput(manager, TASK, 4, 3), true);
                collector.backward(logits.mul(manager.randomUniform(-1f, 1f, logits.getShape())).sum());
            }
            Map<String, Parameter> parameters = StateDict.names(supernet.block());
            // stage2 layer 0 is k7e4 (choice 4), layer 1 is k3e6 (choice 1).
            assertThat(gradient(parameters, "blocks.2.0.4.conv_dw.weight")).isPositive();
            assertThat(gradient(parameters, "blocks.2.1.1.conv_pwl.weight")).isPositive();
            assertThat(gradient(parameters, "conv_stem.weight")).isPositive();
            assertThat(gradient(parameters, "blocks.6.0.conv.weight")).isPositive();
            for (int choice : List.of(0, 1, 2, 3, 5)) {
                assertThat(gradient(parameters, "blocks.2.0." + choice + ".conv_dw.weight")).as("choice %d", choice).isZero();
            }
            assertThat(supernet.activeParameters()).contains(parameters.get("blocks.2.0.4.conv_dw.weight"), parameters.get("classifier.weight"))
                    .doesNotContain(parameters.get("blocks.2.0.3.conv_dw.weight"));
            // Shared: stem and its norm (3), the depthwise-separable block (10), the last block (3), head and classifier (4);
            // then 13 learnable tensors in each of the path's 10 blocks.
            assertThat(supernet.activeParameters()).hasSize(20 + 10 * 13);
        }
    }

    private static float gradient(Map<String, Parameter> parameters, String name) {
        return parameters.get(name).getArray().getGradient().abs().sum().getFloat();
    }

    @Test
    void anExtractedPathIsTheSupernetWithThatPathActive() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Supernet supernet = SPACE.supernet(TASK);
            Blocks.initialize(supernet.block(), manager, TASK);
            NDArray input = Blocks.randomInput(manager, TASK, 3, 7);
            supernet.activate(PATH);
            NDArray shared = Blocks.forward(supernet.block(), input, false);
            Block alone = supernet.extract(PATH, manager);
            assertThat(StateDict.names(alone)).containsKey("blocks.2.0.conv_dw.weight");
            assertThat(Blocks.forward(alone, input, false).sub(shared).abs().max().getFloat()).isLessThan(1e-5f);
        }
    }

    @Test
    void theTableGivesEachPathsFlops() {
        FlopsTable table = SPACE.flopsTable(TASK);
        Random random = new Random(3);
        for (int i = 0; i < 20; i++) {
            Architecture path = SPACE.sample(random);
            assertThat(table.flops(path)).as(path.canonical()).isEqualTo(SPACE.complexity(path, TASK).flops());
        }
        assertThat(table.minimum()).isEqualTo(SPACE.complexity(SPACE.smallest(), TASK).flops());
        assertThat(table.maximum()).isEqualTo(SPACE.complexity(SPACE.largest(), TASK).flops());
        // The stem, the depthwise-separable block, the 1x1 to 320 channels and the head, at 28x28.
        assertThat(table.fixed()).isEqualTo(SPACE.complexity(SPACE.smallest(), TASK).flops()
                - java.util.stream.IntStream.range(0, 5).mapToLong(s -> table.entry(s, 0, Op.choice(0)) + table.entry(s, 1, Op.choice(0))).sum());
    }

    @Test
    void theOfficialSupernetHasSixToTheTwentyPaths() {
        CreamSpace official = new CreamSpace(List.of(4, 4, 4, 4, 4), 0);
        assertThat(official.size()).isEqualTo(BigInteger.valueOf(6).pow(20));
        assertThat(SPACE.size()).isEqualTo(BigInteger.valueOf(6).pow(10));
    }
}

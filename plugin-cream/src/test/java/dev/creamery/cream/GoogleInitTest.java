package dev.creamery.cream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.testkit.Blocks;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every convolution and linear layer starts as timm's {@code _init_weight_goog} starts it, squeeze-excitation's included. */
class GoogleInitTest {
    private static final Task TASK = Task.square(3, 32, 10);

    @Test
    void convolutionsDrawFromTwoOverFanOutAndLinearLayersFromOneOverOut() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CreamNet net = CreamNet.child(Layout.blocks(Layout.official(new int[][] {{3, 4}, {3, 2}, {3, 3}, {3, 3}, {3, 3}})), TASK, 0);
            Blocks.initialize(net, manager, TASK);
            Map<String, Parameter> parameters = StateDict.names(net);
            // Stage 2 starts with k5e6 on 24 channels (144 inside): fan-out k * k * out / groups is 40 for the projection,
            // 25 for the depthwise 5x5, 40 and 144 for SE's reduce and expand, 1280 for the head.
            assertStd(parameters, "blocks.2.0.conv_pwl.weight", 2.0 / 40);
            assertStd(parameters, "blocks.2.0.conv_dw.weight", 2.0 / 25);
            assertStd(parameters, "blocks.2.0.se.conv_reduce.weight", 2.0 / 40);
            assertStd(parameters, "blocks.2.0.se.conv_expand.weight", 2.0 / 144);
            assertStd(parameters, "conv_head.weight", 2.0 / 1280);
            assertThat(max(parameters, "blocks.2.0.se.conv_reduce.bias")).isZero();
            assertThat(max(parameters, "conv_head.bias")).isZero();
            // U(-1/sqrt(10), 1/sqrt(10)) over 12,800 draws reaches close to its bound and not beyond.
            assertThat(max(parameters, "classifier.weight")).isBetween(0.31, 1 / Math.sqrt(10));
        }
    }

    private static void assertStd(Map<String, Parameter> parameters, String name, double variance) {
        NDArray w = parameters.get(name).getArray();
        double std = Math.sqrt(w.square().mean().getFloat());
        assertThat(std).as(name).isCloseTo(Math.sqrt(variance), within(0.1 * Math.sqrt(variance)));
    }

    private static double max(Map<String, Parameter> parameters, String name) {
        return parameters.get(name).getArray().abs().max().getFloat();
    }
}

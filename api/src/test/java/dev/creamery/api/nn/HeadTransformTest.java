package dev.creamery.api.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MiniViT's head transformations against sums written out by hand, in their places in the attention:
 * one on the logits, one on the weights after the softmax (not renormalised); and {@link Repeated}
 * runs the instance of the selected use.
 */
class HeadTransformTest {
    private static final int B = 2;
    private static final int H = 3;
    private static final int N = 4;
    private static final int D = 5;

    @Test
    void mixesTheHeadsAtEveryPairOfTokensAndKeepsTheShape() {
        try (NDManager manager = NDManager.newBaseManager()) {
            HeadTransform transform = new HeadTransform(H, HeadTransform.Place.LOGITS);
            transform.initialize(manager, DataType.FLOAT32, new Shape(B, H, N, N));
            float[] w = transform.getParameters().get("weight").getArray().toFloatArray();
            NDArray x = manager.randomNormal(new Shape(B, H, N, N));
            NDArray y = transform.apply(new ParameterStore(manager, false), x, false);
            assertThat(y.getShape()).isEqualTo(x.getShape());
            float[] in = x.toFloatArray();
            float[] out = y.toFloatArray();
            for (int b = 0; b < B; b++) {
                for (int o = 0; o < H; o++) {
                    for (int p = 0; p < N * N; p++) {
                        double expected = 0;
                        for (int h = 0; h < H; h++) {
                            expected += w[o * H + h] * in[(b * H + h) * N * N + p];
                        }
                        assertThat((double) out[(b * H + o) * N * N + p]).isCloseTo(expected, within(1e-5));
                    }
                }
            }
        }
    }

    @Test
    void theWeightTransformActsAfterTheSoftmaxAndBeforeTheValues() {
        try (NDManager manager = NDManager.newBaseManager()) {
            HeadTransform logits = new HeadTransform(H, HeadTransform.Place.LOGITS);
            HeadTransform weights = new HeadTransform(H, HeadTransform.Place.WEIGHTS);
            logits.initialize(manager, DataType.FLOAT32, new Shape(B, H, N, N));
            weights.initialize(manager, DataType.FLOAT32, new Shape(B, H, N, N));
            ParameterStore store = new ParameterStore(manager, false);
            NDArray q = manager.randomNormal(new Shape(B, H, N, D));
            NDArray k = manager.randomNormal(new Shape(B, H, N, D));
            NDArray v = manager.randomNormal(new Shape(B, H, N, D));
            NDArray out = Attention.attend(store, q, k, v, List.of(logits, weights), false);
            NDArray byHand = weights.apply(store, logits.apply(store, q.matMul(k.transpose(0, 1, 3, 2)), false).softmax(-1), false).matMul(v);
            assertThat(out.sub(byHand).abs().max().getFloat()).isLessThan(1e-6f);
        }
    }

    @Test
    void aRepeatedModuleRunsTheSelectedUse() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Repeated<HeadTransform> repeated = new Repeated<>(2, r -> new HeadTransform(H, HeadTransform.Place.LOGITS));
            repeated.initialize(manager, DataType.FLOAT32, new Shape(B, H, N, N));
            assertThat(dev.creamery.api.StateDict.names(repeated)).containsOnlyKeys("instances.0.weight", "instances.1.weight");
            assertThat(Repeated.in(repeated)).containsExactly(repeated);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.randomNormal(new Shape(B, H, N, N));
            repeated.select(1);
            NDArray second = repeated.logits(store, x, null, null, false);
            assertThat(second.sub(repeated.active().apply(store, x, false)).abs().max().getFloat()).isZero();
            repeated.select(0);
            assertThat(repeated.logits(store, x, null, null, false).sub(second).abs().max().getFloat()).isPositive();
        }
    }
}

package dev.creamery.asvit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.testkit.Blocks;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressiveTokenizationTest {
    private static final Task BIG = Task.square(1, 64, 10);
    private static final Task SMALL = Task.square(1, 32, 10);
    private static final String TOPOLOGY = "7,4,3|3,2,2|4,2,4|2,1,6|32";

    @Test
    void phasesCoverTheirShareOfTheEpochs() {
        ProgressiveTokenization schedule = new ProgressiveTokenization(List.of(4, 2), List.of(0.25, 0.25));
        int[] factors = new int[8];
        for (int epoch = 1; epoch <= 8; epoch++) {
            factors[epoch - 1] = schedule.factor(epoch, 8);
        }
        assertThat(factors).containsExactly(4, 4, 2, 2, 1, 1, 1, 1);
        assertThat(ProgressiveTokenization.OFF.factor(1, 8)).isEqualTo(1);
    }

    @Test
    void rejectsSchedulesThatNeverReachTheFullTokens() {
        assertThatThrownBy(() -> new ProgressiveTokenization(List.of(2), List.of(1.0))).hasMessageContaining("less than 1");
        assertThatThrownBy(() -> new ProgressiveTokenization(List.of(2, 4), List.of(0.2, 0.2))).hasMessageContaining("decrease");
        assertThatThrownBy(() -> new ProgressiveTokenization(List.of(2), List.of())).hasMessageContaining("one fraction per factor");
    }

    /**
     * A stride-8, dilation-2 embedding of an image reads every second pixel: the coarse network on a
     * 64x64 image is the full network of a 32x32 task (same weights) on the image's even pixels.
     */
    @Test
    void aCoarseEpochRunsTheNetworkOnEveryFactorthPixel() {
        AsVitFamily coarse = new AsVitFamily(new AsVitSettings(new ProgressiveTokenization(List.of(2), List.of(0.5))));
        AsVitFamily plain = new AsVitFamily();
        try (NDManager manager = NDManager.newBaseManager()) {
            AsVitNetwork big = coarse.build(coarse.parse(TOPOLOGY), BIG);
            AsVitNetwork small = plain.build(plain.parse(TOPOLOGY), SMALL);
            Blocks.initialize(big, manager, BIG);
            Blocks.initialize(small, manager, SMALL);
            StateDict.load(small, StateDict.tensors(big), "the 64x64 network");
            NDArray images = Blocks.randomInput(manager, BIG, 3, 5);
            NDArray even = images.get(new NDIndex(":, :, ::2, ::2"));
            NDArray full = Blocks.forward(big, images, true);

            big.beginEpoch(2, 4);
            NDArray coarseLogits = Blocks.forward(big, images, true);
            assertThat(coarseLogits.getShape().getShape()).containsExactly(3, 10);
            assertThat(maxDifference(coarseLogits, Blocks.forward(small, even, true))).isLessThan(1e-5);
            assertThat(maxDifference(coarseLogits, full)).isGreaterThan(1e-3);
            // Evaluation inside a coarse epoch uses all tokens.
            assertThat(maxDifference(Blocks.forward(big, images, false), full)).isLessThan(1e-6);

            big.beginEpoch(3, 4);
            assertThat(maxDifference(Blocks.forward(big, images, true), full)).isLessThan(1e-6);
            big.beginEpoch(1, 4);
            big.endTraining();
            assertThat(maxDifference(Blocks.forward(big, images, true), full)).isLessThan(1e-6);
        }
    }

    @Test
    void saysWhichInputSizeACoarseFactorNeeds() {
        AsVitFamily coarse = new AsVitFamily(new AsVitSettings(new ProgressiveTokenization(List.of(2), List.of(0.5))));
        assertThatThrownBy(() -> coarse.build(coarse.parse(TOPOLOGY), Task.square(1, 28, 10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("factor 2").hasMessageContaining("multiple of 64").hasMessageContaining("data.size = 64");
        AsVitFamily coarser = new AsVitFamily(new AsVitSettings(new ProgressiveTokenization(List.of(4, 2), List.of(0.2, 0.2))));
        assertThatThrownBy(() -> coarser.build(coarser.parse(TOPOLOGY), BIG)).hasMessageContaining("factor 4")
                .hasMessageContaining("multiple of 128");
        assertThat(coarser.build(coarser.parse(TOPOLOGY), Task.square(3, 128, 10)).task().height()).isEqualTo(128);
    }

    private static double maxDifference(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }
}

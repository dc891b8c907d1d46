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

/** Recalibration: the running statistics become the plain average of the batches' statistics, then move with momentum 0.1 again. */
class BatchNormTest {
    private static final int CHANNELS = 3;

    @Test
    void averagingGivesEachBatchTheSameWeightAndForgetsTheOldStatistics() {
        try (NDManager manager = NDManager.newBaseManager()) {
            BatchNorm norm = new BatchNorm(CHANNELS, 1f);
            norm.initialize(manager, DataType.FLOAT32, new Shape(2, CHANNELS, 4, 4));
            norm.getParameters().get("running_mean").getArray().set(new float[] {50, 50, 50});
            List<NDArray> batches = List.of(batch(manager, 4, 1f, 0f), batch(manager, 2, 3f, 5f), batch(manager, 8, 0.5f, -2f));
            norm.startAveraging();
            for (NDArray x : batches) {
                norm.apply(new ParameterStore(manager, false), x, true);
            }
            norm.stopAveraging();
            double[] mean = new double[CHANNELS];
            double[] variance = new double[CHANNELS];
            for (NDArray x : batches) {
                for (int c = 0; c < CHANNELS; c++) {
                    mean[c] += mean(x, c) / batches.size();
                    variance[c] += unbiasedVariance(x, c) / batches.size();
                }
            }
            float[] runningMean = norm.getParameters().get("running_mean").getArray().toFloatArray();
            float[] runningVar = norm.getParameters().get("running_var").getArray().toFloatArray();
            for (int c = 0; c < CHANNELS; c++) {
                assertThat((double) runningMean[c]).as("mean of channel %d", c).isCloseTo(mean[c], within(1e-5));
                assertThat((double) runningVar[c]).as("variance of channel %d", c).isCloseTo(variance[c], within(1e-4));
            }
            // Afterwards a training pass moves them a tenth of the way to the batch's, as PyTorch's momentum 0.1.
            NDArray next = batch(manager, 4, 2f, 10f);
            norm.apply(new ParameterStore(manager, false), next, true);
            float moved = norm.getParameters().get("running_mean").getArray().toFloatArray()[0];
            assertThat((double) moved).isCloseTo(0.9 * runningMean[0] + 0.1 * mean(next, 0), within(1e-5));
        }
    }

    @Test
    void findsEveryBatchNormOfANetwork() {
        BatchNorm first = new BatchNorm(4, 1f);
        BatchNorm second = new BatchNorm(8, 1f);
        Sequential network = new Sequential(new Sequential(first, new Conv2d(4, 8, 1, 1, 0, 1, false)), second);
        assertThat(BatchNorm.in(network)).containsExactly(first, second);
    }

    private static NDArray batch(NDManager manager, int size, float scale, float shift) {
        return manager.randomNormal(new Shape(size, CHANNELS, 4, 4)).mul(scale).add(shift);
    }

    private static double mean(NDArray x, int channel) {
        return x.get(":, " + channel).mean().getFloat();
    }

    private static double unbiasedVariance(NDArray x, int channel) {
        NDArray values = x.get(":, " + channel).flatten();
        long n = values.size();
        return values.sub(values.mean()).square().sum().getFloat() / (n - 1);
    }
}

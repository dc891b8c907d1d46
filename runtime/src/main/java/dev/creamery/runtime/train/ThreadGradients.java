package dev.creamery.runtime.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.creamery.api.nn.Autograd;

/**
 * Gradient collectors that, like PyTorch's grad mode, belong to the thread that opens them, so
 * that several trainings can run side by side in one JVM (DJL's own allows one per process).
 */
public final class ThreadGradients implements Autograd.Recorder {
    @Override
    public GradientCollector collect() {
        return new Collector();
    }

    private static final class Collector implements GradientCollector {
        private final boolean recording = JniUtils.isGradMode();

        Collector() {
            JniUtils.setGradMode(true);
        }

        @Override
        public void backward(NDArray target) {
            try (NDArray seed = target.getManager().ones(target.getShape(), target.getDataType())) {
                JniUtils.backward((PtNDArray) target, (PtNDArray) seed, false, false);
            }
        }

        /** Not offered: DJL's walks every array of the process; trainers zero their own parameters' gradients. */
        @Override
        public void zeroGradients() {
            throw new UnsupportedOperationException("zero the parameters' gradients instead");
        }

        @Override
        public void close() {
            JniUtils.setGradMode(recording);
        }
    }
}

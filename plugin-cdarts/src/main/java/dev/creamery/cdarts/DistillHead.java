package dev.creamery.cdarts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.creamery.api.nn.Act;
import dev.creamery.api.nn.BatchNorm;
import dev.creamery.api.nn.Conv2d;
import dev.creamery.api.nn.Linear;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.Pool;
import dev.creamery.api.nn.Sequential;

/**
 * The official {@code DistillHeadCIFAR}, a classifier on an inner layer's output that CDARTS's
 * ensemble reads from both networks: ReLU, average pooling of stride 2, a 1x1 convolution to 128
 * channels, a 2x2 one to 768 (each with an affine-free batch norm and ReLU), global average pooling
 * and a linear classifier. The official pooling window is 6 on CIFAR's 16x16 and 8x8 maps; on
 * smaller maps it shrinks to leave the 2x2 convolution a 2x2 input.
 */
final class DistillHead extends Module {
    private static final int OFFICIAL_WINDOW = 6;

    private final int window;
    private final Module features;
    private final Linear classifier;

    /**
     * @param channels the layer output's channels
     * @param side the layer output's side
     * @param classes the classes
     */
    DistillHead(int channels, long side, int classes) {
        window = (int) Math.min(OFFICIAL_WINDOW, side - 2);
        if (window < 1) {
            throw new IllegalArgumentException("a distillation head needs a map of at least 3x3, got " + side + "x" + side
                    + "; use larger images or fewer reductions");
        }
        features = addChildBlock("features", new Sequential(new Conv2d(channels, 128, 1, 1, 0, 1, false), BatchNorm.withoutAffine(128),
                Act.relu(), new Conv2d(128, 768, 2, 1, 0, 1, false), BatchNorm.withoutAffine(768), Act.relu()));
        classifier = addChildBlock("classifier", new Linear(768, classes));
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        NDArray pooled = Pool.averageInside(x.getNDArrayInternal().relu(), window, 2, 0);
        NDArray mean = Pool.spatialMean(features.apply(store, pooled, training));
        return classifier.apply(store, mean.reshape(mean.getShape().get(0), mean.getShape().get(1)), training);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        long side = (input.get(2) - window) / 2 + 1;
        Shape out = features.trace(new Shape(input.get(0), input.get(1), side, side), macs);
        return classifier.trace(new Shape(out.get(0), out.get(1)), macs);
    }
}

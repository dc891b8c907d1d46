package dev.creamery.cdarts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.creamery.api.nn.Act;
import dev.creamery.api.nn.BatchNorm;
import dev.creamery.api.nn.Conv2d;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.Named;
import dev.creamery.api.nn.Pool;
import dev.creamery.api.nn.Sequential;

/**
 * The operations of the DARTS cell as the official {@code lib/models/ops.py} builds them (names,
 * layouts and defaults: convolutions without bias, batch norms with PyTorch's defaults, ReLU first).
 */
final class CellOps {
    private CellOps() {}

    /**
     * @param op an operation of {@link Genotype#PRIMITIVES}
     * @param channels its input and output channels
     * @param stride 2 on a reduction cell's inputs, else 1
     * @param affine whether its batch norms learn a scale and shift (the search cells' do not)
     * @return the official {@code OPS[op](C, stride, affine)}
     */
    static Module of(String op, int channels, int stride, boolean affine) {
        return switch (op) {
            case "none" -> new Zero(stride);
            case "max_pool_3x3" -> new Pooling(false, stride);
            case "avg_pool_3x3" -> new Pooling(true, stride);
            case "skip_connect" -> stride == 1 ? new Identity() : new FactorizedReduce(channels, channels, affine);
            case "sep_conv_3x3" -> sepConv(channels, 3, stride, 1, affine);
            case "sep_conv_5x5" -> sepConv(channels, 5, stride, 2, affine);
            case "dil_conv_3x3" -> dilConv(channels, 3, stride, 2, 2, affine);
            case "dil_conv_5x5" -> dilConv(channels, 5, stride, 4, 2, affine);
            default -> throw new IllegalArgumentException("'" + op + "' is not an operation of the space; use one of "
                    + String.join(", ", Genotype.PRIMITIVES));
        };
    }

    /** The official {@code SepConv}: two {@link #dilConv}s of dilation 1, the first strided ({@code net.0}, {@code net.1}). */
    private static Module sepConv(int channels, int kernel, int stride, int padding, boolean affine) {
        return new Named("net", new Sequential(dilConv(channels, kernel, stride, padding, 1, affine),
                dilConv(channels, kernel, 1, padding, 1, affine)));
    }

    /** The official {@code DilConv}: ReLU, a depthwise convolution, a 1x1 convolution, batch norm ({@code net.1..3}). */
    private static Module dilConv(int channels, int kernel, int stride, int padding, int dilation, boolean affine) {
        return new Named("net", new Sequential(Act.relu(), new Conv2d(channels, channels, kernel, stride, padding, dilation, channels,
                false), new Conv2d(channels, channels, 1, 1, 0, 1, false), norm(channels, affine)));
    }

    /** The official {@code StdConv}: ReLU, a convolution, batch norm ({@code net.1}, {@code net.2}). */
    static Module stdConv(int in, int out, boolean affine) {
        return new Named("net", new Sequential(Act.relu(), new Conv2d(in, out, 1, 1, 0, 1, false), norm(out, affine)));
    }

    private static BatchNorm norm(int channels, boolean affine) {
        return affine ? new BatchNorm(channels, 1f) : BatchNorm.withoutAffine(channels);
    }

    /**
     * The official {@code FactorizedReduce}: ReLU, then two 1x1 stride-2 convolutions of half the
     * output each, the second on the input shifted by one pixel, side by side, and batch norm.
     */
    static final class FactorizedReduce extends Module {
        private final Conv2d conv1;
        private final Conv2d conv2;
        private final BatchNorm bn;

        FactorizedReduce(int in, int out, boolean affine) {
            if (out % 2 != 0) {
                throw new IllegalArgumentException("a factorized reduction splits its " + out + " output channels in two halves");
            }
            conv1 = addChildBlock("conv1", new Conv2d(in, out / 2, 1, 2, 0, 1, false));
            conv2 = addChildBlock("conv2", new Conv2d(in, out / 2, 1, 2, 0, 1, false));
            bn = addChildBlock("bn", norm(out, affine));
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            NDArray relu = x.getNDArrayInternal().relu();
            NDArray shifted = relu.get(":, :, 1:, 1:");
            NDArray both = NDArrays.concat(new NDList(conv1.apply(store, relu, training), conv2.apply(store, shifted, training)), 1);
            return bn.apply(store, both, training);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            Shape half = conv1.trace(input, macs);
            Shape other = conv2.trace(new Shape(input.get(0), input.get(1), input.get(2) - 1, input.get(3) - 1), macs);
            if (!half.equals(other)) {
                throw new IllegalArgumentException("a factorized reduction needs an even input side, got " + input.get(2) + "x"
                        + input.get(3));
            }
            return new Shape(half.get(0), half.get(1) * 2, half.get(2), half.get(3));
        }
    }

    /** The official {@code Pool}: 3x3, padding 1, no batch norm; the average leaves the padding out of its count. */
    static final class Pooling extends Module {
        private final boolean average;
        private final int stride;

        Pooling(boolean average, int stride) {
            this.average = average;
            this.stride = stride;
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            return average ? Pool.averageInside(x, 3, stride, 1)
                    : ai.djl.nn.pooling.Pool.maxPool2d(x, new Shape(3, 3), new Shape(stride, stride), new Shape(1, 1), false);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            return strided(input, stride);
        }
    }

    /** The official {@code Identity}: no parameters, and no drop path around it. */
    static final class Identity extends Module {
        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            return x;
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            return input;
        }
    }

    /** The official {@code Zero} ({@code none}): zeros of the strided input's shape. */
    static final class Zero extends Module {
        private final int stride;

        Zero(int stride) {
            this.stride = stride;
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            NDArray sampled = stride == 1 ? x : x.get(":, :, ::" + stride + ", ::" + stride);
            return sampled.zerosLike();
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            return strided(input, stride);
        }
    }

    /** A 3x3 window of padding 1 (or a plain sampling) at a stride: the side {@code ceil(side / stride)}. */
    private static Shape strided(Shape input, int stride) {
        return new Shape(input.get(0), input.get(1), (input.get(2) - 1) / stride + 1, (input.get(3) - 1) / stride + 1);
    }
}

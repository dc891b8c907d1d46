package dev.creamery.cream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.creamery.api.nn.Act;
import dev.creamery.api.nn.BatchNorm;
import dev.creamery.api.nn.Conv2d;
import dev.creamery.api.nn.ConvNorm;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.SqueezeExcite;

/**
 * The blocks of timm's EfficientNet builder as Cream configures them: swish activations, batch norm
 * (eps 1e-5), squeeze-excitation of ratio 0.25 on the depthwise output, symmetric padding. Module
 * names are timm's, so the official {@code state_dict} keys load as they are. They trace FLOPs as the
 * official profiler counts them ({@link ProfilerCount}).
 */
abstract class MobileBlock extends Module {
    /** timm 0.1's {@code make_divisible}: multiples of 8, never more than 10% below the exact value. */
    static int divisible(double channels) {
        return SqueezeExcite.makeDivisible(channels, 8, 0.9);
    }

    /** A convolution without bias, padded to keep the side at stride 1 (timm's symmetric padding). */
    static Conv2d conv(int in, int out, int kernel, int stride, int groups) {
        return new Conv2d(in, out, kernel, stride, kernel / 2, groups, false);
    }

    static SqueezeExcite squeezeExcite(int channels) {
        return SqueezeExcite.efficientNet(channels, divisible(channels * 0.25));
    }

    /** The kit's count of squeeze-excitation plus what the official profiler adds (see {@link ProfilerCount}). */
    static Shape traceSqueezeExcite(SqueezeExcite se, Shape input, Macs macs) {
        ProfilerCount.squeezeExcite(input, divisible(input.get(1) * 0.25), macs);
        return se.trace(input, macs);
    }

    /**
     * timm's {@code InvertedResidual}: 1x1 expansion, depthwise kxk (the block's stride), SE, 1x1
     * projection without activation, and the input added back when the shape is kept.
     */
    static final class InvertedResidual extends MobileBlock {
        private final Conv2d convPw;
        private final BatchNorm bn1;
        private final Conv2d convDw;
        private final BatchNorm bn2;
        private final SqueezeExcite se;
        private final Conv2d convPwl;
        private final BatchNorm bn3;
        private final ConvNorm pw;
        private final ConvNorm dw;
        private final ConvNorm pwl;
        private final boolean residual;

        InvertedResidual(int in, int out, Op op, int stride) {
            int mid = divisible((double) in * op.expansion());
            convPw = addChildBlock("conv_pw", conv(in, mid, 1, 1, 1));
            bn1 = addChildBlock("bn1", new BatchNorm(mid, 1f));
            convDw = addChildBlock("conv_dw", conv(mid, mid, op.kernel(), stride, mid));
            bn2 = addChildBlock("bn2", new BatchNorm(mid, 1f));
            se = addChildBlock("se", squeezeExcite(mid));
            convPwl = addChildBlock("conv_pwl", conv(mid, out, 1, 1, 1));
            bn3 = addChildBlock("bn3", new BatchNorm(out, 1f));
            pw = new ConvNorm(convPw, bn1);
            dw = new ConvNorm(convDw, bn2);
            pwl = new ConvNorm(convPwl, bn3);
            residual = stride == 1 && in == out;
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            NDArray y = Act.swish(pw.apply(store, x, training));
            y = Act.swish(dw.apply(store, y, training));
            y = pwl.apply(store, se.apply(store, y, training), training);
            return residual ? y.add(x) : y;
        }

        @Override
        public void prepareInference() {
            super.prepareInference();
            pw.prepare(1);
            dw.prepare(1);
            pwl.prepare(1);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            Shape y = ProfilerCount.norm(bn1, convPw.trace(input, macs), macs);
            y = ProfilerCount.norm(bn2, convDw.trace(y, macs), macs);
            return ProfilerCount.norm(bn3, convPwl.trace(traceSqueezeExcite(se, y, macs), macs), macs);
        }
    }

    /** timm's {@code DepthwiseSeparableConv}: depthwise kxk, SE, 1x1 projection without activation, residual. */
    static final class DepthwiseSeparable extends MobileBlock {
        private final Conv2d convDw;
        private final BatchNorm bn1;
        private final SqueezeExcite se;
        private final Conv2d convPw;
        private final BatchNorm bn2;
        private final ConvNorm dw;
        private final ConvNorm pw;
        private final boolean residual;

        DepthwiseSeparable(int in, int out, int kernel, int stride) {
            convDw = addChildBlock("conv_dw", conv(in, in, kernel, stride, in));
            bn1 = addChildBlock("bn1", new BatchNorm(in, 1f));
            se = addChildBlock("se", squeezeExcite(in));
            convPw = addChildBlock("conv_pw", conv(in, out, 1, 1, 1));
            bn2 = addChildBlock("bn2", new BatchNorm(out, 1f));
            dw = new ConvNorm(convDw, bn1);
            pw = new ConvNorm(convPw, bn2);
            residual = stride == 1 && in == out;
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            NDArray y = Act.swish(dw.apply(store, x, training));
            y = pw.apply(store, se.apply(store, y, training), training);
            return residual ? y.add(x) : y;
        }

        @Override
        public void prepareInference() {
            super.prepareInference();
            dw.prepare(1);
            pw.prepare(1);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            Shape y = traceSqueezeExcite(se, ProfilerCount.norm(bn1, convDw.trace(input, macs), macs), macs);
            return ProfilerCount.norm(bn2, convPw.trace(y, macs), macs);
        }
    }

    /** timm's {@code ConvBnAct}: a convolution, batch norm and swish (the 1x1 to 320 channels). */
    static final class ConvBnAct extends MobileBlock {
        private final Conv2d conv;
        private final BatchNorm bn1;
        private final ConvNorm pair;

        ConvBnAct(int in, int out, int kernel) {
            conv = addChildBlock("conv", conv(in, out, kernel, 1, 1));
            bn1 = addChildBlock("bn1", new BatchNorm(out, 1f));
            pair = new ConvNorm(conv, bn1);
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            return Act.swish(pair.apply(store, x, training));
        }

        @Override
        public void prepareInference() {
            pair.prepare(1);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            return ProfilerCount.norm(bn1, conv.trace(input, macs), macs);
        }
    }
}

package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import java.util.function.UnaryOperator;

/**
 * Squeeze-and-excitation on {@code (B, C, H, W)}: the mean over positions, a 1x1 convolution down to
 * the reduced channels, ReLU, a 1x1 convolution back, and a gate that scales each channel. timm has
 * two of them that the papers use under different names and gates: {@link #timm} (EfficientViT) and
 * {@link #efficientNet} (the MobileNetV3-style blocks of Cream).
 */
public final class SqueezeExcite extends Module {
    private final Conv2d reduce;
    private final Conv2d expand;
    private final UnaryOperator<NDArray> gate;

    private SqueezeExcite(int channels, int reduced, String reduceName, String expandName, UnaryOperator<NDArray> gate) {
        reduce = addChildBlock(reduceName, new Conv2d(channels, reduced, 1, 1, 0, 1, true));
        expand = addChildBlock(expandName, new Conv2d(reduced, channels, 1, 1, 0, 1, true));
        this.gate = gate;
    }

    /**
     * timm's {@code SEModule} (timm 0.5 {@code SqueezeExcite}): {@code fc1}, {@code fc2}, sigmoid gate.
     *
     * @param channels the gated channels
     * @param reduced the channels in between
     * @return the module
     */
    public static SqueezeExcite timm(int channels, int reduced) {
        return new SqueezeExcite(channels, reduced, "fc1", "fc2", Activation::sigmoid);
    }

    /**
     * The {@code SqueezeExcite} of timm's EfficientNet blocks (timm 0.1): {@code conv_reduce},
     * {@code conv_expand}, gated by the hard sigmoid {@code relu6(x + 3) / 6}.
     *
     * @param channels the gated channels
     * @param reduced the channels in between
     * @return the module
     */
    public static SqueezeExcite efficientNet(int channels, int reduced) {
        return new SqueezeExcite(channels, reduced, "conv_reduce", "conv_expand", SqueezeExcite::hardSigmoid);
    }

    /**
     * timm's {@code make_divisible}: {@code value} rounded to the nearest multiple of {@code divisor},
     * at least {@code divisor}, and (with a round limit) raised by one divisor when rounding lost more
     * than the limit allows.
     *
     * @param value the exact channel count
     * @param divisor the multiple
     * @param roundLimit the smallest kept share of {@code value} (0.9 in timm 0.1, 0 in timm 0.5's {@code SEModule})
     * @return the channels
     */
    public static int makeDivisible(double value, int divisor, double roundLimit) {
        int rounded = Math.max(divisor, (int) (value + divisor / 2.0) / divisor * divisor);
        return rounded < roundLimit * value ? rounded + divisor : rounded;
    }

    /** PyTorch's {@code F.relu6(x + 3.) / 6.}, the order of operations kept. */
    private static NDArray hardSigmoid(NDArray x) {
        return x.add(3).clip(0, 6).div(6);
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        NDArray scale = expand.apply(store, Activation.relu(reduce.apply(store, Pool.spatialMean(x), training)), training);
        return x.mul(gate.apply(scale));
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        expand.trace(reduce.trace(new Shape(input.get(0), input.get(1), 1, 1), macs), macs);
        return input;
    }
}

package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.training.initializer.XavierInitializer;

/** {@code nn.Conv2d} with square kernels: parameters {@code weight} and optionally {@code bias}. */
public final class Conv2d extends Module {
    private static final Shape NO_DILATION = new Shape(1, 1);

    private final int in;
    private final int out;
    private final int kernel;
    private final int groups;
    private final Shape stride;
    private final Shape padding;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * @param in input channels
     * @param out output channels
     * @param kernel kernel side
     * @param stride stride
     * @param padding zero padding on each side
     * @param groups channel groups (in for a depthwise convolution)
     * @param bias whether there is a bias
     */
    public Conv2d(int in, int out, int kernel, int stride, int padding, int groups, boolean bias) {
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("convolution " + in + " -> " + out + " channels cannot use " + groups + " groups");
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.groups = groups;
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
        int fanIn = in / groups * kernel * kernel;
        // PyTorch's default: kaiming_uniform(a=sqrt(5)) for the weight, U(+-1/sqrt(fan_in)) for the bias.
        this.weight = parameter("weight", Parameter.Type.WEIGHT, new Shape(out, in / groups, kernel, kernel),
                new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.IN, 1), true);
        this.bias = bias ? parameter("bias", Parameter.Type.BIAS, new Shape(out),
                new UniformInitializer((float) (1 / Math.sqrt(fanIn))), true) : null;
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        NDArray w = store.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : store.getValue(bias, x.getDevice(), training);
        return x.getNDArrayInternal().convolution(x, w, b, stride, padding, NO_DILATION, groups).singletonOrThrow();
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        if (input.dimension() != 4 || input.get(1) != in) {
            throw new IllegalArgumentException("convolution expects (N, " + in + ", H, W), got " + input);
        }
        long h = outputSize(input.get(2));
        long w = outputSize(input.get(3));
        macs.convolution(new ConvolutionShape(in, out, kernel, stride.get(0), padding.get(0), 1, groups, input.get(2), input.get(3)),
                input.get(0), h * w);
        return new Shape(input.get(0), out, h, w);
    }

    private long outputSize(long size) {
        return (size + 2 * padding.get(0) - kernel) / stride.get(0) + 1;
    }
}

package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.training.initializer.XavierInitializer;

/**
 * {@code nn.Conv2d} with square kernels: parameters {@code weight} and optionally {@code bias}.
 *
 * <p>The same weights can also run spread: stride and dilation both multiplied by a factor, so the
 * kernel covers a window that many times wider and the output grid shrinks by the factor (As-ViT's
 * progressive re-tokenization). Padding is not spread; a caller that needs it pads the input.
 */
public final class Conv2d extends Module {
    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final int groups;
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
        this(in, out, kernel, stride, padding, 1, groups, bias);
    }

    /**
     * @param in input channels
     * @param out output channels
     * @param kernel kernel side
     * @param stride stride
     * @param padding zero padding on each side
     * @param dilation spacing of the kernel taps
     * @param groups channel groups (in for a depthwise convolution)
     * @param bias whether there is a bias
     */
    public Conv2d(int in, int out, int kernel, int stride, int padding, int dilation, int groups, boolean bias) {
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("convolution " + in + " -> " + out + " channels cannot use " + groups + " groups");
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        int fanIn = in / groups * kernel * kernel;
        // PyTorch's default: kaiming_uniform(a=sqrt(5)) for the weight, U(+-1/sqrt(fan_in)) for the bias.
        this.weight = parameter("weight", Parameter.Type.WEIGHT, new Shape(out, in / groups, kernel, kernel),
                new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.IN, 1), true);
        this.bias = bias ? parameter("bias", Parameter.Type.BIAS, new Shape(out),
                new UniformInitializer((float) (1 / Math.sqrt(fanIn))), true) : null;
    }

    /** @return the channel groups (the channels of a depthwise convolution) */
    public int groups() {
        return groups;
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        return apply(store, x, training, 1);
    }

    /**
     * @param store where parameter values come from
     * @param x the input
     * @param training whether to run in training mode
     * @param spread the factor on stride and dilation (1: as built)
     * @return the output
     */
    public NDArray apply(ParameterStore store, NDArray x, boolean training, int spread) {
        return convolve(store, x, training, spread, bias == null ? null : store.getValue(bias, x.getDevice(), training));
    }

    /**
     * The convolution without its bias: the layer's derivative, how a tangent (or a difference of
     * two inputs) moves through it.
     *
     * @param store where parameter values come from
     * @param x the tangent
     * @param training whether to run in training mode
     * @param spread the factor on stride and dilation (1: as built)
     * @return the moved tangent
     */
    public NDArray applyLinearPart(ParameterStore store, NDArray x, boolean training, int spread) {
        return convolve(store, x, training, spread, null);
    }

    private NDArray convolve(ParameterStore store, NDArray x, boolean training, int spread, NDArray b) {
        return convolve(x, store.getValue(weight, x.getDevice(), training), b, spread);
    }

    /** This convolution's geometry with other weights (a folded batch norm's). */
    NDArray convolve(NDArray x, NDArray w, NDArray b, int spread) {
        if (spread == 1 && pointwise() && x.getShape().get(0) == 1) {
            return product(x, w, b);
        }
        return x.getNDArrayInternal().convolution(x, w, b, new Shape(stride * spread, stride * spread), new Shape(padding, padding),
                new Shape(dilation * spread, dilation * spread), groups).singletonOrThrow();
    }

    /**
     * A 1x1 convolution of one image as the product {@code (out, in) x (in, H*W)}: the engine sends
     * such a convolution to its slow path, which also probes for NNPACK on every call (and logs that
     * this CPU lacks it), about 80 us against 50 us for the product.
     */
    private NDArray product(NDArray x, NDArray w, NDArray b) {
        Shape shape = x.getShape();
        NDManager manager = x.getManager();
        // Views of parameters belong to the model's manager: they go to the input's at once.
        NDArray matrix = w.reshape(out, in);
        matrix.attach(manager);
        NDArray y = matrix.matMul(x.reshape(in, shape.get(2) * shape.get(3)));
        if (b != null) {
            NDArray column = b.reshape(out, 1);
            column.attach(manager);
            y = y.add(column);
        }
        return y.reshape(1, out, shape.get(2), shape.get(3));
    }

    /** @return whether this is a plain 1x1 convolution (stride 1, no padding, one group): a product over channels */
    private boolean pointwise() {
        return kernel == 1 && stride == 1 && padding == 0 && groups == 1;
    }

    /** @return the weight's current array */
    NDArray weight() {
        return weight.getArray();
    }

    /** @return the bias's current array, or null without one */
    NDArray bias() {
        return bias == null ? null : bias.getArray();
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        return trace(input, macs, 1);
    }

    /**
     * @param input the input shape
     * @param macs receives the multiply-accumulates and the convolution's shape
     * @param spread the factor on stride and dilation (1: as built)
     * @return the output shape
     */
    public Shape trace(Shape input, Macs macs, int spread) {
        if (input.dimension() != 4 || input.get(1) != in) {
            throw new IllegalArgumentException("convolution expects (N, " + in + ", H, W), got " + input);
        }
        int s = stride * spread;
        int d = dilation * spread;
        long h = (input.get(2) + 2L * padding - (long) d * (kernel - 1) - 1) / s + 1;
        long w = (input.get(3) + 2L * padding - (long) d * (kernel - 1) - 1) / s + 1;
        macs.convolution(new ConvolutionShape(in, out, kernel, s, padding, d, groups, input.get(2), input.get(3)), input.get(0), h * w);
        return new Shape(input.get(0), out, h, w);
    }
}

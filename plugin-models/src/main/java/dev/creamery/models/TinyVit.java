package dev.creamery.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import dev.creamery.api.Task;
import dev.creamery.api.nn.Act;
import dev.creamery.api.nn.Attention;
import dev.creamery.api.nn.DerivedBuffer;
import dev.creamery.api.nn.DropPath;
import dev.creamery.api.nn.LayerNorm;
import dev.creamery.api.nn.Linear;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.Named;
import dev.creamery.api.nn.Scalars;
import dev.creamery.api.nn.Taps;
import dev.creamery.api.nn.Sequential;
import dev.creamery.api.nn.Windows;
import java.util.ArrayList;
import java.util.List;

/**
 * The TinyViT classifier of the official code ({@code TinyViT/models/tiny_vit.py}), module for module
 * and with the official attribute names: a two-convolution patch embedding, a stage of MBConv blocks,
 * stages of windowed attention blocks with a local depthwise convolution, patch merging between
 * stages, token mean, layer norm and a linear head.
 *
 * <p>A window larger than its stage shrinks to the stage (only small inputs meet this; the official
 * code would pad the stage up to the window instead).
 */
final class TinyVit extends Module {
    private final InputSize size;
    private final Module patchEmbed;
    private final List<Layer> layers = new ArrayList<>();
    private final LayerNorm normHead;
    private final Linear head;

    TinyVit(TinyVitConfig config, Task task, InputSize size, float residualInit, double dropPathRate) {
        this.size = size;
        int[] dims = config.embedDims();
        int stages = dims.length;
        // PatchEmbed: two stride-2 3x3 convolutions with batch norm and GELU between, as its seq.
        patchEmbed = addChildBlock("patch_embed", new Named("seq", new Sequential(new Conv2dBN(task.channels(), dims[0] / 2, 3, 2, 1,
                1, 1f), Act.gelu(), new Conv2dBN(dims[0] / 2, dims[0], 3, 2, 1, 1, 1f))));
        double[] dropPaths = config.dropPaths(dropPathRate);
        int block = 0;
        int resolution = size.working() / 4;
        for (int i = 0; i < stages; i++) {
            int dim = dims[i];
            List<Module> blocks = new ArrayList<>();
            for (int d = 0; d < config.depths()[i]; d++, block++) {
                blocks.add(i == 0
                        ? new MbConv(dim, config.mbconvExpandRatio(), dropPaths[block], residualInit)
                        : new TinyVitBlock(dim, resolution, config.numHeads()[i], config.windowSizes()[i], config.mlpRatio(),
                                dropPaths[block], config.localConvSize()));
            }
            Module downsample = i < stages - 1 ? new PatchMerging(resolution, dim, dims[i + 1]) : null;
            layers.add(addChildBlock("layers." + i, new Layer(blocks, downsample)));
            resolution /= 2;
        }
        normHead = addChildBlock("norm_head", new LayerNorm(dims[stages - 1]));
        head = addChildBlock("head", new Linear(dims[stages - 1], task.classes()));
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray input, boolean training) {
        NDArray x = patchEmbed.apply(store, size.fit(input), training);
        for (Layer layer : layers) {
            x = layer.apply(store, x, training);
        }
        return head.apply(store, normHead.apply(store, x.mean(new int[] {1}), training), training);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        Shape x = patchEmbed.trace(size.trace(input), macs);
        for (Layer layer : layers) {
            x = layer.trace(x, macs);
        }
        return head.trace(normHead.trace(new Shape(x.get(0), x.get(2)), macs), macs);
    }

    /** {@code MBConv}: inverted residual (1x1 expand, GELU, 3x3 depthwise, GELU, 1x1), then GELU. */
    static final class MbConv extends Module {
        private final Conv2dBN conv1;
        private final Conv2dBN conv2;
        private final Conv2dBN conv3;
        private final double dropPath;

        MbConv(int dim, double expandRatio, double dropPath, float residualInit) {
            int hidden = (int) (dim * expandRatio);
            conv1 = addChildBlock("conv1", Conv2dBN.pointwise(dim, hidden));
            conv2 = addChildBlock("conv2", Conv2dBN.depthwise(hidden, 3, 1f));
            conv3 = addChildBlock("conv3", new Conv2dBN(hidden, dim, 1, 1, 0, 1, residualInit));
            this.dropPath = dropPath;
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            NDArray y = Activation.gelu(conv1.apply(store, x, training));
            y = Activation.gelu(conv2.apply(store, y, training));
            // The branch ends in a batch norm (or the drop-path product), whose output autograd does not
            // keep, so the shortcut is added in place.
            y = DropPath.apply(conv3.apply(store, y, training), dropPath, training);
            return Activation.gelu(y.addi(x));
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            return conv3.trace(conv2.trace(conv1.trace(input, macs), macs), macs);
        }
    }

    /**
     * {@code PatchMerging}: 1x1 conv, GELU, stride-2 depthwise 3x3, GELU, 1x1 conv. Takes a feature map or
     * tokens of the stage, returns tokens {@code (B, L, C)}.
     */
    static final class PatchMerging extends Module {
        private final int resolution;
        private final Conv2dBN conv1;
        private final Conv2dBN conv2;
        private final Conv2dBN conv3;

        PatchMerging(int resolution, int dim, int outDim) {
            this.resolution = resolution;
            conv1 = addChildBlock("conv1", Conv2dBN.pointwise(dim, outDim));
            conv2 = addChildBlock("conv2", new Conv2dBN(outDim, outDim, 3, 2, 1, outDim, 1f));
            conv3 = addChildBlock("conv3", Conv2dBN.pointwise(outDim, outDim));
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            NDArray map = x.getShape().dimension() == 3 ? tokensToMap(x, resolution) : x;
            NDArray y = Activation.gelu(conv1.apply(store, map, training));
            y = Activation.gelu(conv2.apply(store, y, training));
            y = conv3.apply(store, y, training);
            Shape s = y.getShape();
            return y.reshape(s.get(0), s.get(1), s.get(2) * s.get(3)).transpose(0, 2, 1);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            Shape map = input.dimension() == 3 ? new Shape(input.get(0), input.get(2), resolution, resolution) : input;
            Shape y = conv3.trace(conv2.trace(conv1.trace(map, macs), macs), macs);
            return new Shape(y.get(0), y.get(2) * y.get(3), y.get(1));
        }
    }

    /** {@code ConvLayer} and {@code BasicLayer}: the stage's {@code blocks}, then its {@code downsample}. */
    static final class Layer extends Module {
        private final List<Module> blocks;
        private final Module downsample;

        Layer(List<Module> blocks, Module downsample) {
            this.blocks = List.copyOf(blocks);
            for (int i = 0; i < blocks.size(); i++) {
                addChildBlock("blocks." + i, blocks.get(i));
            }
            this.downsample = downsample == null ? null : addChildBlock("downsample", downsample);
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            NDArray y = x;
            for (Module block : blocks) {
                y = block.applyScoped(store, y, training);
            }
            return downsample == null ? y : downsample.apply(store, y, training);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            Shape y = input;
            for (Module block : blocks) {
                y = block.trace(y, macs);
            }
            return downsample == null ? y : downsample.trace(y, macs);
        }
    }

    /** {@code Mlp}: layer norm, linear, GELU, linear. */
    static final class Mlp extends Module {
        private final LayerNorm norm;
        private final Linear fc1;
        private final Linear fc2;

        Mlp(int dim, int hidden) {
            norm = addChildBlock("norm", new LayerNorm(dim));
            fc1 = addChildBlock("fc1", new Linear(dim, hidden));
            fc2 = addChildBlock("fc2", new Linear(hidden, dim));
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            return fc2.apply(store, Activation.gelu(fc1.apply(store, norm.apply(store, x, training), training)), training);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            return fc2.trace(fc1.trace(norm.trace(input, macs), macs), macs);
        }
    }

    /**
     * {@code Attention}: layer norm, one linear layer for the queries, keys and values of all heads (laid
     * out per head: {@code [q | k | v]} of head 0, then head 1, ...), the kit's attention of all heads with
     * the attention biases as its position encoding, projection.
     */
    static final class BiasedAttention extends Module {
        private final int heads;
        private final int keyDim;
        private final int valueDim;
        /** {@code key_dim ** -0.5}, a double as in Python: in float32 it rounds to a float, in float64 it must not. */
        private final double scale;
        private final AttentionBias bias;
        private final LayerNorm norm;
        private final Linear qkv;
        private final Linear proj;

        BiasedAttention(int dim, int keyDim, int heads, int resolution) {
            this.heads = heads;
            this.keyDim = keyDim;
            this.valueDim = keyDim;
            this.scale = Math.pow(keyDim, -0.5);
            bias = new AttentionBias(this, heads, resolution);
            norm = addChildBlock("norm", new LayerNorm(dim));
            qkv = addChildBlock("qkv", new Linear(dim, heads * (2 * keyDim + valueDim)));
            proj = addChildBlock("proj", new Linear(heads * valueDim, dim));
        }

        @Override
        public List<DerivedBuffer> derivedBuffers() {
            return List.of(bias.indexBuffer());
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            super.initializeChildBlocks(manager, dataType, inputShapes);
            bias.initialize(manager);
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            Shape s = x.getShape();
            long batch = s.get(0);
            long tokens = s.get(1);
            NDArray projected = qkv.apply(store, norm.apply(store, x, training), training)
                    .reshape(batch, tokens, heads, 2L * keyDim + valueDim).transpose(0, 2, 1, 3);
            NDList parts = projected.split(new long[] {keyDim, 2L * keyDim}, 3);
            Taps.attention(parts.get(0), parts.get(1), parts.get(2));
            NDArray q = Scalars.times(parts.get(0), scale);
            NDArray out = Attention.attend(store, q, parts.get(1), parts.get(2), List.of(bias), training).transpose(0, 2, 1, 3)
                    .reshape(batch, tokens, (long) heads * valueDim);
            return proj.apply(store, out, training);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            qkv.trace(norm.trace(input, macs), macs);
            long tokens = input.get(1);
            Shape keys = new Shape(input.get(0), heads, tokens, keyDim);
            Attention.trace(keys, keys, new Shape(input.get(0), heads, tokens, valueDim), List.of(bias), macs);
            return proj.trace(new Shape(input.get(0), tokens, (long) heads * valueDim), macs);
        }
    }

    /**
     * {@code TinyViTBlock}: {@code x + attn(x)} in windows, a depthwise convolution on the token map (no
     * residual), then {@code x + mlp(x)}.
     */
    static final class TinyVitBlock extends Module {
        private final int resolution;
        private final int window;
        private final double dropPath;
        private final BiasedAttention attn;
        private final Mlp mlp;
        private final Conv2dBN localConv;

        TinyVitBlock(int dim, int resolution, int heads, int window, double mlpRatio, double dropPath, int localConvSize) {
            this.resolution = resolution;
            this.window = Math.min(window, resolution);
            this.dropPath = dropPath;
            attn = addChildBlock("attn", new BiasedAttention(dim, dim / heads, heads, this.window));
            mlp = addChildBlock("mlp", new Mlp(dim, (int) (dim * mlpRatio)));
            localConv = addChildBlock("local_conv", Conv2dBN.depthwise(dim, localConvSize, 1f));
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            Shape s = x.getShape();
            long batch = s.get(0);
            long channels = s.get(2);
            NDArray mixed;
            if (resolution == window) {
                mixed = attn.apply(store, x, training);
            } else {
                NDArray windows = Windows.partition(x.reshape(batch, resolution, resolution, channels), window);
                mixed = Windows.reverse(attn.apply(store, windows, training), batch, resolution, resolution, window)
                        .reshape(s);
            }
            // Both branches end in a linear layer, a window merge or the drop-path product, whose outputs
            // autograd does not keep, so the residuals are added in place.
            NDArray y = DropPath.apply(mixed, dropPath, training).addi(x);
            y = localConv.apply(store, tokensToMap(y, resolution), training);
            y = y.reshape(batch, channels, (long) resolution * resolution).transpose(0, 2, 1);
            NDArray out = DropPath.apply(mlp.apply(store, y, training), dropPath, training).addi(y);
            Taps.hidden(out);
            return out;
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            if (input.dimension() != 3 || input.get(1) != (long) resolution * resolution) {
                throw new IllegalArgumentException("block built for " + resolution + "x" + resolution + " tokens, got " + input);
            }
            long count = Windows.count(resolution, window);
            attn.trace(new Shape(input.get(0) * count * count, (long) window * window, input.get(2)), macs);
            localConv.trace(new Shape(input.get(0), input.get(2), resolution, resolution), macs);
            return mlp.trace(input, macs);
        }
    }

    /** Tokens {@code (B, L, C)} of a square stage to a feature map {@code (B, C, H, W)}. */
    static NDArray tokensToMap(NDArray tokens, int resolution) {
        Shape s = tokens.getShape();
        return tokens.transpose(0, 2, 1).reshape(s.get(0), s.get(2), resolution, resolution);
    }
}

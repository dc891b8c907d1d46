package dev.creamery.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import dev.creamery.api.Task;
import dev.creamery.api.nn.Act;
import dev.creamery.api.nn.BatchNorm;
import dev.creamery.api.nn.Conv2d;
import dev.creamery.api.nn.DerivedBuffer;
import dev.creamery.api.nn.Linear;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.Pool;
import dev.creamery.api.nn.Scalars;
import dev.creamery.api.nn.Sequential;
import dev.creamery.api.nn.SqueezeExcite;
import dev.creamery.api.nn.Windows;
import java.util.List;

/**
 * The EfficientViT classifier of the official code ({@code EfficientViT/classification/model/efficientvit.py}),
 * module for module and with the official attribute names: a four-convolution patch embedding, three
 * stages of sandwich blocks (depthwise conv, FFN, cascaded group attention in local windows, FFN,
 * depthwise conv) joined by subsample blocks, global average pooling and a batch-norm linear head.
 */
final class EfficientVit extends Module {
    private final InputSize size;
    private final Sequential patchEmbed;
    private final List<Sequential> stages;
    private final BnLinear head;

    /**
     * @param config the architecture
     * @param task the input channels and classes
     * @param size how images are fitted to a side the architecture takes
     * @param residualInit the initial scale of the batch norms that close residual branches
     */
    EfficientVit(EfficientVitConfig config, Task task, InputSize size, float residualInit) {
        this.size = size;
        int[] dims = config.embedDim();
        int first = dims[0];
        int[] channels = {task.channels(), first / 8, first / 4, first / 2, first};
        Sequential embed = new Sequential();
        int resolution = size.working();
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                embed.add(Act.relu());
            }
            embed.add(new Conv2dBN(channels[i], channels[i + 1], 3, 2, 1, 1, 1f));
            resolution = halve(resolution);
        }
        List<Sequential> blocks = List.of(new Sequential(), new Sequential(), new Sequential());
        for (int i = 0; i < 3; i++) {
            int dim = dims[i];
            for (int d = 0; d < config.depth()[i]; d++) {
                blocks.get(i).add(new EfficientVitBlock(dim, config.keyDim()[i], config.numHeads()[i], config.valueDim(i),
                        resolution, config.windowSize()[i], config.kernels(), residualInit));
            }
            if (i < 2) {
                // The subsample between stages i and i+1 opens stage i+1 (official down_ops ['subsample', 2]).
                Sequential next = blocks.get(i + 1);
                next.add(new Sequential(new Residual(Conv2dBN.depthwise(dim, 3, 1f)), new Residual(new Ffn(dim, residualInit))));
                next.add(new PatchMerging(dim, dims[i + 1]));
                resolution = halve(resolution);
                next.add(new Sequential(new Residual(Conv2dBN.depthwise(dims[i + 1], 3, 1f)),
                        new Residual(new Ffn(dims[i + 1], residualInit))));
            }
        }
        patchEmbed = addChildBlock("patch_embed", embed);
        stages = blocks;
        for (int i = 0; i < 3; i++) {
            addChildBlock("blocks" + (i + 1), blocks.get(i));
        }
        head = addChildBlock("head", new BnLinear(dims[2], task.classes()));
    }

    /** The output side of a 3x3 stride-2 convolution with padding 1: {@code (r - 1) // 2 + 1}. */
    static int halve(int resolution) {
        return (resolution - 1) / 2 + 1;
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray input, boolean training) {
        NDArray x = patchEmbed.apply(store, size.fit(input), training);
        for (Sequential stage : stages) {
            x = stage.apply(store, x, training);
        }
        return head.apply(store, Pool.spatialMean(x).squeeze(new int[] {2, 3}), training);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        Shape x = patchEmbed.trace(size.trace(input), macs);
        for (Sequential stage : stages) {
            x = stage.trace(x, macs);
        }
        return head.trace(x.slice(0, 2), macs);
    }

    /** {@code Residual}: {@code x + m(x)} (the official drop rate is never set, so there is no drop path). */
    static final class Residual extends Module {
        private final Module m;

        Residual(Module m) {
            this.m = addChildBlock("m", m);
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            // Every branch ends in a batch norm or a window merge, whose outputs autograd does not keep,
            // so adding in place is safe and spares an allocation the size of the feature map.
            return m.apply(store, x, training).addi(x);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            Shape output = m.trace(input, macs);
            if (!output.equals(input)) {
                throw new IllegalStateException("residual branch changes " + input + " to " + output);
            }
            return input;
        }
    }

    /** {@code FFN}: pointwise expansion by 2, ReLU, pointwise projection. */
    static final class Ffn extends Module {
        private final Conv2dBN pw1;
        private final Conv2dBN pw2;

        Ffn(int dim, float residualInit) {
            pw1 = addChildBlock("pw1", Conv2dBN.pointwise(dim, 2 * dim));
            pw2 = addChildBlock("pw2", new Conv2dBN(2 * dim, dim, 1, 1, 0, 1, residualInit));
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            return pw2.apply(store, Activation.relu(pw1.apply(store, x, training)), training);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            return pw2.trace(pw1.trace(input, macs), macs);
        }
    }

    /**
     * {@code CascadedGroupAttention}: head {@code i} attends over its own slice of the channels plus the
     * previous head's output, with a depthwise convolution on its queries and its own bias table.
     */
    static final class CascadedGroupAttention extends Module {
        private final int heads;
        private final int keyDim;
        private final int valueDim;
        private final double scale;
        private final AttentionBias bias;
        private final Conv2dBN[] qkvs;
        private final Conv2dBN[] dws;
        private final Sequential proj;
        /** Prepared for inference: each head's bias map; null otherwise. */
        private NDList preparedBiases;

        CascadedGroupAttention(int dim, int keyDim, int heads, int valueDim, int resolution, int[] kernels, float residualInit) {
            this.heads = heads;
            this.keyDim = keyDim;
            this.valueDim = valueDim;
            this.scale = Math.pow(keyDim, -0.5);
            bias = new AttentionBias(this, heads, resolution);
            qkvs = new Conv2dBN[heads];
            dws = new Conv2dBN[heads];
            for (int i = 0; i < heads; i++) {
                qkvs[i] = addChildBlock("qkvs." + i, Conv2dBN.pointwise(dim / heads, 2 * keyDim + valueDim));
            }
            for (int i = 0; i < heads; i++) {
                dws[i] = addChildBlock("dws." + i, Conv2dBN.depthwise(keyDim, kernels[i], 1f));
            }
            proj = addChildBlock("proj", new Sequential(Act.relu(), new Conv2dBN(valueDim * heads, dim, 1, 1, 0, 1, residualInit)));
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

        /**
         * The official eval mode's cached biases, and the query scale folded into each head's
         * depthwise convolution with its norm.
         */
        @Override
        public void prepareInference() {
            dropPrepared();
            for (int i = 0; i < heads; i++) {
                qkvs[i].prepareInference();
                dws[i].prepareInference(scale);
            }
            proj.prepareInference();
            preparedBiases = bias.gatherPerHead();
        }

        private void dropPrepared() {
            if (preparedBiases != null) {
                preparedBiases.close();
                preparedBiases = null;
            }
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            if (training) {
                dropPrepared();
            }
            boolean prepared = preparedBiases != null;
            Shape shape = x.getShape();
            long batch = shape.get(0);
            long height = shape.get(2);
            long width = shape.get(3);
            long tokens = height * width;
            NDArray biases = prepared ? null : bias.gather(store, x, training);
            NDList chunks = x.split(heads, 1);
            NDList outputs = new NDList(heads);
            NDArray feat = chunks.get(0);
            long[] splits = {keyDim, 2L * keyDim};
            for (int i = 0; i < heads; i++) {
                if (i > 0) {
                    feat = feat.add(chunks.get(i));
                }
                NDList qkv = qkvs[i].apply(store, feat, training).split(splits, 1);
                // Scaling q instead of q^T k touches fewer elements; with the official key_dim 16 the scale
                // is 1/4, so both orders give identical floats.
                NDArray q = dws[i].apply(store, qkv.get(0), training).reshape(batch, keyDim, tokens);
                if (!prepared) {
                    q = Scalars.times(q, scale);
                }
                NDArray k = qkv.get(1).reshape(batch, keyDim, tokens);
                NDArray v = qkv.get(2).reshape(batch, valueDim, tokens);
                NDArray attention = q.transpose(0, 2, 1).matMul(k).addi(prepared ? preparedBiases.get(i) : biases.get(i)).softmax(-1);
                feat = v.matMul(attention.transpose(0, 2, 1)).reshape(batch, valueDim, height, width);
                outputs.add(feat);
            }
            return proj.apply(store, NDArrays.concat(outputs, 1), training);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            long batch = input.get(0);
            long tokens = input.get(2) * input.get(3);
            Shape chunk = new Shape(batch, input.get(1) / heads, input.get(2), input.get(3));
            for (int i = 0; i < heads; i++) {
                qkvs[i].trace(chunk, macs);
                dws[i].trace(new Shape(batch, keyDim, input.get(2), input.get(3)), macs);
                macs.add(batch * tokens * tokens * (keyDim + valueDim));
            }
            return proj.trace(new Shape(batch, (long) valueDim * heads, input.get(2), input.get(3)), macs);
        }
    }

    /**
     * {@code LocalWindowAttention}: cascaded group attention inside windows of the stage (a window larger
     * than the stage shrinks to it, as in the official code).
     */
    static final class LocalWindowAttention extends Module {
        private final int resolution;
        private final int window;
        private final CascadedGroupAttention attn;

        LocalWindowAttention(int dim, int keyDim, int heads, int valueDim, int resolution, int window, int[] kernels,
                float residualInit) {
            this.resolution = resolution;
            this.window = window;
            attn = addChildBlock("attn", new CascadedGroupAttention(dim, keyDim, heads, valueDim, Math.min(window, resolution),
                    kernels, residualInit));
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            if (resolution <= window) {
                return attn.apply(store, x, training);
            }
            Shape shape = x.getShape();
            NDArray windows = attn.apply(store, Windows.partitionChannelsFirst(x, window), training);
            return Windows.reverseChannelsFirst(windows, shape.get(0), shape.get(2), shape.get(3));
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            if (input.get(2) != resolution || input.get(3) != resolution) {
                throw new IllegalArgumentException("attention built for " + resolution + "x" + resolution + " maps, got " + input);
            }
            if (resolution <= window) {
                return attn.trace(input, macs);
            }
            long count = Windows.count(resolution, window);
            attn.trace(new Shape(input.get(0) * count * count, input.get(1), window, window), macs);
            return input;
        }
    }

    /** {@code EfficientViTBlock}: the sandwich dw conv, FFN, attention, FFN, dw conv, each residual. */
    static final class EfficientVitBlock extends Module {
        private final Residual dw0;
        private final Residual ffn0;
        private final Residual mixer;
        private final Residual dw1;
        private final Residual ffn1;

        EfficientVitBlock(int dim, int keyDim, int heads, int valueDim, int resolution, int window, int[] kernels,
                float residualInit) {
            dw0 = addChildBlock("dw0", new Residual(Conv2dBN.depthwise(dim, 3, residualInit)));
            ffn0 = addChildBlock("ffn0", new Residual(new Ffn(dim, residualInit)));
            mixer = addChildBlock("mixer", new Residual(
                    new LocalWindowAttention(dim, keyDim, heads, valueDim, resolution, window, kernels, residualInit)));
            dw1 = addChildBlock("dw1", new Residual(Conv2dBN.depthwise(dim, 3, residualInit)));
            ffn1 = addChildBlock("ffn1", new Residual(new Ffn(dim, residualInit)));
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            NDArray y = dw0.apply(store, x, training);
            y = ffn0.apply(store, y, training);
            y = mixer.apply(store, y, training);
            y = dw1.apply(store, y, training);
            return ffn1.apply(store, y, training);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            return ffn1.trace(dw1.trace(mixer.trace(ffn0.trace(dw0.trace(input, macs), macs), macs), macs), macs);
        }
    }

    /** {@code PatchMerging}: pointwise expansion by 4, stride-2 depthwise conv, squeeze-excite, projection. */
    static final class PatchMerging extends Module {
        private final Conv2dBN conv1;
        private final Conv2dBN conv2;
        private final SqueezeExcite se;
        private final Conv2dBN conv3;

        PatchMerging(int dim, int outDim) {
            int hidden = 4 * dim;
            conv1 = addChildBlock("conv1", Conv2dBN.pointwise(dim, hidden));
            conv2 = addChildBlock("conv2", new Conv2dBN(hidden, hidden, 3, 2, 1, hidden, 1f));
            se = addChildBlock("se", SqueezeExcite.timm(hidden, SqueezeExcite.makeDivisible(hidden * 0.25, 8, 0)));
            conv3 = addChildBlock("conv3", Conv2dBN.pointwise(hidden, outDim));
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            NDArray y = Activation.relu(conv1.apply(store, x, training));
            y = Activation.relu(conv2.apply(store, y, training));
            return conv3.apply(store, se.apply(store, y, training), training);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            return conv3.trace(se.trace(conv2.trace(conv1.trace(input, macs), macs), macs), macs);
        }
    }

    /** {@code BN_Linear}: batch norm over features, then a linear layer. */
    static final class BnLinear extends Module {
        private final BatchNorm bn;
        private final Linear l;

        BnLinear(int in, int out) {
            bn = addChildBlock("bn", new BatchNorm(in, 1f));
            l = addChildBlock("l", new Linear(in, out));
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            return l.apply(store, bn.apply(store, x, training), training);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            return l.trace(bn.trace(input, macs), macs);
        }
    }
}

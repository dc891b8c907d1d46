package dev.creamery.asvit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import dev.creamery.api.EpochAware;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.api.nn.Scalars;
import dev.creamery.api.nn.Windows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The As-ViT network of the official {@code lib/models/cell_infers/transformer.py}, for one topology
 * and task: an overlapping patch embedding, four stages of windowed-attention transformer blocks (no
 * shift, no relative position bias) joined by overlapping patch merging, a final norm, token
 * averaging and a {@code Linear-Tanh-Linear} head. Children and parameters carry the official
 * {@code state_dict} names ({@code patch_embed.proj.weight}, {@code layers.0.blocks.0.attn.qkv.weight},
 * {@code layers.0.downsample.reduction.weight}, {@code head.2.bias}, ...).
 *
 * <p>Trained with a {@link ProgressiveTokenization} schedule, training steps of a coarse epoch run on
 * coarser tokens; every other forward pass (validation, inference, the training-free measures) uses
 * the full tokens.
 *
 * <p>Every operation starts from the activations (never from a parameter array), so results belong
 * to the batch's manager and are freed with it.
 */
public final class AsVitNetwork extends Module implements TrainingFreeNetwork, EpochAware {
    private final Geometry geometry;
    private final ProgressiveTokenization tokenization;
    private int factor = 1;
    private final PatchEmbed patchEmbed;
    private final List<Stage> stages = new ArrayList<>();
    private final Norm norm;
    private final Dense head0;
    private final Dense head2;
    private final List<Norm> norms = new ArrayList<>();

    AsVitNetwork(Geometry geometry, ProgressiveTokenization tokenization) {
        this.geometry = geometry;
        this.tokenization = tokenization;
        tokenization.factors().forEach(geometry::checkFactor);
        patchEmbed = addChildBlock("patch_embed", new PatchEmbed(geometry, norms));
        Modules layers = addChildBlock("layers", new Modules());
        for (int s = 0; s < Topology.STAGES; s++) {
            stages.add(layers.add(Integer.toString(s), new Stage(geometry, s, norms)));
        }
        norm = addChildBlock("norm", new Norm(geometry.features(), norms));
        Modules head = addChildBlock("head", new Modules());
        head0 = head.add("0", new Dense(geometry.features(), geometry.features(), true));
        head2 = head.add("2", new Dense(geometry.features(), geometry.task.classes(), true));
    }

    /** @return the topology this network was built for */
    public Topology topology() {
        return geometry.topology;
    }

    /** @return the task this network was built for */
    public Task task() {
        return geometry.task;
    }

    @Override
    public void beginEpoch(int epoch, int epochs) {
        factor = tokenization.factor(epoch, epochs);
    }

    @Override
    public void endTraining() {
        factor = 1;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        Run run = new Run(store, training, training ? factor : 1);
        NDArray x = tokens(run, inputs.singletonOrThrow());
        x = norm.apply(run, x).mean(new int[] {1});
        x = head0.apply(run, x).tanh();
        return new NDList(head2.apply(run, x));
    }

    @Override
    public NDArray features(ParameterStore store, NDArray images) {
        return tokens(new Run(store, true, 1), images).mean(new int[] {1});
    }

    @Override
    public Tangent featuresWithTangent(ParameterStore store, NDArray images, NDArray directions) {
        Run run = new Run(store, true, 1);
        checkInput(images);
        Tangent x = patchEmbed.apply(run, new Tangent(images, directions));
        for (Stage stage : stages) {
            x = stage.apply(run, x);
        }
        return new Tangent(x.value().mean(new int[] {1}), x.tangent().mean(new int[] {1}));
    }

    private NDArray tokens(Run run, NDArray images) {
        checkInput(images);
        NDArray x = patchEmbed.apply(run, images);
        for (Stage stage : stages) {
            x = stage.apply(run, x);
        }
        return x;
    }

    private void checkInput(NDArray images) {
        Shape shape = images.getShape();
        Task task = geometry.task;
        if (shape.dimension() != 4 || shape.get(1) != task.channels() || shape.get(2) != task.height() || shape.get(3) != task.width()) {
            throw new IllegalArgumentException("As-ViT network for " + task + " needs input (N, " + task.channels() + ", "
                    + task.height() + ", " + task.width() + "), got " + shape);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), geometry.task.classes())};
    }

    @Override
    public void normalization(boolean enabled) {
        norms.forEach(n -> n.enabled = enabled);
    }

    @Override
    public List<Parameter> kernelWeights() {
        List<Parameter> weights = new ArrayList<>();
        for (Map.Entry<String, Parameter> entry : StateDict.names(this).entrySet()) {
            String name = entry.getKey();
            // The final norm and the head are not on the path of the pooled features: no gradient reaches them.
            if (name.endsWith("weight") && !name.startsWith("norm.") && !name.startsWith("head.")) {
                weights.add(entry.getValue());
            }
        }
        return weights;
    }

    @Override
    public void reinitialize(Random random) {
        for (Map.Entry<String, Parameter> entry : StateDict.names(this).entrySet()) {
            String name = entry.getKey();
            NDArray array = entry.getValue().getArray();
            if (name.startsWith("patch_embed.proj.")) {
                continue;
            }
            int n = Math.toIntExact(array.size());
            float[] values = new float[n];
            boolean vector = array.getShape().dimension() == 1;
            if (!vector) {
                for (int i = 0; i < n; i++) {
                    double v;
                    do {
                        v = 0.02 * random.nextGaussian();
                    } while (v < -2 || v > 2);
                    values[i] = (float) v;
                }
            } else if (name.endsWith("weight")) {
                // Every 1-d weight of this network is a layer-norm scale.
                java.util.Arrays.fill(values, 1f);
            }
            array.set(values);
        }
    }

    @Override
    public void reinitializeEmbedding(Random random) {
        Conv proj = patchEmbed.proj;
        long fanIn = proj.weight.getArray().getShape().size() / proj.weight.getArray().getShape().get(0);
        double bound = 1 / Math.sqrt(fanIn);
        for (Parameter p : List.of(proj.weight, proj.bias)) {
            float[] values = new float[Math.toIntExact(p.getArray().size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((2 * random.nextDouble() - 1) * bound);
            }
            p.getArray().set(values);
        }
    }

    /** Parameter values, mode and tokenisation factor (1: full tokens) of one forward pass. */
    record Run(ParameterStore store, boolean training, int factor) {
        NDArray value(Parameter parameter, NDArray like) {
            return store.getValue(parameter, like.getDevice(), training);
        }
    }

    /** The patch embedding: pad, strided convolution, tokens, layer norm. */
    static final class PatchEmbed extends Module {
        private final Geometry g;
        final Conv proj;
        private final Norm norm;

        PatchEmbed(Geometry g, List<Norm> norms) {
            this.g = g;
            int k = g.topology.kernels()[0];
            proj = addChildBlock("proj", new Conv(g.task.channels(), g.dim[0], k));
            norm = addChildBlock("norm", new Norm(g.dim[0], norms));
        }

        private NDArray embed(NDArray images, NDArray weight, NDArray bias, int factor) {
            NDArray padded = images.pad(g.embedPadding(factor), 0);
            int stride = Geometry.STRIDE * factor;
            NDArray y = padded.getNDArrayInternal().convolution(padded, weight, bias, new Shape(stride, stride),
                    new Shape(0, 0), new Shape(factor, factor), 1).singletonOrThrow();
            Shape s = y.getShape();
            return y.reshape(s.get(0), s.get(1), s.get(2) * s.get(3)).transpose(0, 2, 1);
        }

        NDArray apply(Run run, NDArray images) {
            return norm.apply(run, embed(images, run.value(proj.weight, images), run.value(proj.bias, images), run.factor()));
        }

        Tangent apply(Run run, Tangent in) {
            NDArray value = embed(in.value(), run.value(proj.weight, in.value()), run.value(proj.bias, in.value()), run.factor());
            NDArray tangent = embed(in.tangent(), run.value(proj.weight, in.value()), null, run.factor());
            return norm.apply(run, new Tangent(value, tangent));
        }
    }

    /** One stage ({@code BasicLayer}): its transformer blocks, then patch merging unless it is the last. */
    static final class Stage extends Module {
        private final List<TransformerBlock> blocks = new ArrayList<>();
        private final PatchMerging downsample;

        Stage(Geometry g, int s, List<Norm> norms) {
            Modules list = addChildBlock("blocks", new Modules());
            for (int i = 0; i < g.topology.layers()[s]; i++) {
                blocks.add(list.add(Integer.toString(i), new TransformerBlock(g, s, norms)));
            }
            downsample = s < Topology.STAGES - 1 ? addChildBlock("downsample", new PatchMerging(g, s, norms)) : null;
        }

        NDArray apply(Run run, NDArray x) {
            for (TransformerBlock block : blocks) {
                x = block.apply(run, x);
            }
            return downsample == null ? x : downsample.apply(run, x);
        }

        Tangent apply(Run run, Tangent x) {
            for (TransformerBlock block : blocks) {
                x = block.apply(run, x);
            }
            return downsample == null ? x : downsample.apply(run, x);
        }
    }

    /** Pre-norm windowed attention and one pre-norm MLP branch, both residual. */
    static final class TransformerBlock extends Module {
        private final int resolution;
        private final int window;
        private final Norm norm1;
        private final Attention attn;
        private final Norm mlpNorm;
        private final Mlp mlp;

        TransformerBlock(Geometry g, int s, List<Norm> norms) {
            resolution = g.resolution[s];
            window = g.window[s];
            norm1 = addChildBlock("norm1", new Norm(g.dim[s], norms));
            attn = addChildBlock("attn", new Attention(g, s));
            Modules mlps = addChildBlock("mlps", new Modules());
            Modules branch = mlps.add("0", new Modules());
            mlpNorm = branch.add("0", new Norm(g.dim[s], norms));
            mlp = branch.add("1", new Mlp(g.dim[s], g.mlpHidden[s]));
        }

        NDArray apply(Run run, NDArray x) {
            int f = run.factor();
            NDArray y = unpartition(attn.apply(run, partition(norm1.apply(run, x), f)), x, f);
            x = x.add(y);
            return x.add(mlp.apply(run, mlpNorm.apply(run, x)));
        }

        Tangent apply(Run run, Tangent x) {
            int f = run.factor();
            Tangent h = norm1.apply(run, x);
            Tangent a = attn.apply(run, new Tangent(partition(h.value(), f), partition(h.tangent(), f)));
            x = new Tangent(x.value().add(unpartition(a.value(), x.value(), f)), x.tangent().add(unpartition(a.tangent(), x.value(), f)));
            Tangent m = mlp.apply(run, mlpNorm.apply(run, x));
            return new Tangent(x.value().add(m.value()), x.tangent().add(m.tangent()));
        }

        /**
         * (B, R*R, C) tokens to (B * windows, w*w, C); at tokenisation factor f the grid and the windows are f
         * times smaller, their count the same.
         */
        private NDArray partition(NDArray x, int f) {
            if (window == resolution) {
                return x;
            }
            Shape s = x.getShape();
            int r = resolution / f;
            return Windows.partition(x.reshape(s.get(0), r, r, s.get(2)), window / f);
        }

        private NDArray unpartition(NDArray windows, NDArray like, int f) {
            if (window == resolution) {
                return windows;
            }
            Shape s = like.getShape();
            int r = resolution / f;
            return Windows.reverse(windows, s.get(0), r, r, window / f).reshape(s);
        }
    }

    /** Multi-head self-attention inside each window, all heads in one batched matmul. */
    static final class Attention extends Module {
        private final int heads;
        private final int headDim;
        private final float scale;
        private final Dense qkv;
        private final Dense proj;

        Attention(Geometry g, int s) {
            heads = g.heads[s];
            headDim = g.headDim[s];
            scale = (float) Math.pow(headDim, -0.5);
            qkv = addChildBlock("qkv", new Dense(g.dim[s], 3 * g.inner(s), true));
            proj = addChildBlock("proj", new Dense(g.inner(s), g.dim[s], true));
        }

        /** (B, N, 3*inner) to (3, B, heads, N, headDim) as reshape(B, N, 3, heads, C // heads).permute(2, 0, 3, 1, 4). */
        private NDArray split(NDArray qkvOut) {
            Shape s = qkvOut.getShape();
            return qkvOut.reshape(s.get(0), s.get(1), 3, heads, headDim).transpose(2, 0, 3, 1, 4);
        }

        private NDArray merge(NDArray perHead) {
            Shape s = perHead.getShape();
            return perHead.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), (long) heads * headDim);
        }

        NDArray apply(Run run, NDArray x) {
            NDArray parts = split(qkv.apply(run, x));
            NDArray q = Scalars.times(parts.get(0), scale);
            NDArray k = parts.get(1);
            NDArray v = parts.get(2);
            NDArray attn = q.matMul(k.transpose(0, 1, 3, 2)).softmax(-1);
            return proj.apply(run, merge(attn.matMul(v)));
        }

        Tangent apply(Run run, Tangent x) {
            NDArray parts = split(qkv.apply(run, x.value()));
            NDArray dparts = split(qkv.applyLinear(run, x.tangent(), x.value()));
            NDArray q = parts.get(0).mul(scale);
            NDArray dq = dparts.get(0).mul(scale);
            NDArray kt = parts.get(1).transpose(0, 1, 3, 2);
            NDArray dkt = dparts.get(1).transpose(0, 1, 3, 2);
            NDArray v = parts.get(2);
            NDArray dv = dparts.get(2);
            NDArray p = q.matMul(kt).softmax(-1);
            NDArray ds = dq.matMul(kt).add(q.matMul(dkt));
            // d softmax = p * (ds - sum(p * ds)) along the keys.
            NDArray dp = p.mul(ds.sub(p.mul(ds).sum(new int[] {-1}, true)));
            NDArray out = p.matMul(v);
            NDArray dout = dp.matMul(v).add(p.matMul(dv));
            return new Tangent(proj.apply(run, merge(out)), proj.applyLinear(run, merge(dout), out));
        }
    }

    /** fc1, exact (erf) GELU, fc2. */
    static final class Mlp extends Module {
        private static final double INV_SQRT2 = 1 / Math.sqrt(2);
        private static final double INV_SQRT2PI = 1 / Math.sqrt(2 * Math.PI);
        private final Dense fc1;
        private final Dense fc2;

        Mlp(int dim, int hidden) {
            fc1 = addChildBlock("fc1", new Dense(dim, hidden, true));
            fc2 = addChildBlock("fc2", new Dense(hidden, dim, true));
        }

        NDArray apply(Run run, NDArray x) {
            NDArray h = fc1.apply(run, x);
            return fc2.apply(run, h.getNDArrayInternal().gelu());
        }

        Tangent apply(Run run, Tangent x) {
            NDArray h = fc1.apply(run, x.value());
            NDArray dh = fc1.applyLinear(run, x.tangent(), x.value());
            // gelu'(h) = Phi(h) + h * phi(h)
            NDArray cdf = h.mul(INV_SQRT2).erf().add(1).mul(0.5);
            NDArray pdf = h.square().mul(-0.5).exp().mul(INV_SQRT2PI);
            NDArray slope = cdf.add(h.mul(pdf));
            NDArray a = h.getNDArrayInternal().gelu();
            return new Tangent(fc2.apply(run, a), fc2.applyLinear(run, slope.mul(dh), a));
        }
    }

    /** Overlapping patch merging: pad, unfold k x k with stride 2 ({@code nn.Unfold} order), layer norm, linear without bias. */
    static final class PatchMerging extends Module {
        private final int resolution;
        private final int kernel;
        private final int padBefore;
        private final int padAfter;
        private final Dense reduction;
        private final Norm norm;

        PatchMerging(Geometry g, int s, List<Norm> norms) {
            resolution = g.resolution[s];
            kernel = g.topology.kernels()[s + 1];
            padBefore = (kernel - 2) / 2;
            padAfter = (kernel - 1) / 2;
            reduction = addChildBlock("reduction", new Dense(kernel * kernel * g.dim[s], g.merged(s), false));
            norm = addChildBlock("norm", new Norm(kernel * kernel * g.dim[s], norms));
        }

        private NDArray unfold(NDArray x, int f) {
            Shape s = x.getShape();
            long b = s.get(0);
            long c = s.get(2);
            int r = resolution / f;
            NDArray grid = x.transpose(0, 2, 1).reshape(b, c, r, r)
                    .pad(new Shape(padBefore, padAfter, padBefore, padAfter), 0);
            int out = r / 2;
            NDList patches = new NDList(kernel * kernel);
            for (int i = 0; i < kernel; i++) {
                for (int j = 0; j < kernel; j++) {
                    patches.add(grid.get(new NDIndex(":, :, {}:{}:2, {}:{}:2", i, i + 2 * out - 1, j, j + 2 * out - 1)));
                }
            }
            // (B, C, k*k, H/2, W/2) -> features ordered c*k*k + i*k + j, one row per output token.
            return NDArrays.stack(patches, 2).reshape(b, c * kernel * kernel, (long) out * out).transpose(0, 2, 1);
        }

        NDArray apply(Run run, NDArray x) {
            return reduction.apply(run, norm.apply(run, unfold(x, run.factor())));
        }

        Tangent apply(Run run, Tangent x) {
            Tangent n = norm.apply(run, new Tangent(unfold(x.value(), run.factor()), unfold(x.tangent(), run.factor())));
            return new Tangent(reduction.apply(run, n.value()), reduction.applyLinear(run, n.tangent(), n.value()));
        }
    }

    /** {@code nn.Linear}: weight (out, in), optional bias; initialised as the official {@code _init_weights}. */
    static final class Dense extends Module {
        final Parameter weight;
        final Parameter bias;

        Dense(int in, int out, boolean withBias) {
            weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(out, in)).optInitializer(new NormalInitializer(0.02f)).build());
            bias = withBias ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                    .optShape(new Shape(out)).optInitializer(Initializer.ZEROS).build()) : null;
        }

        NDArray apply(Run run, NDArray x) {
            NDArray b = bias == null ? null : run.value(bias, x);
            return x.getNDArrayInternal().linear(x, run.value(weight, x), b).singletonOrThrow();
        }

        /** The linear part alone (no bias): how a tangent moves through this layer. */
        NDArray applyLinear(Run run, NDArray tangent, NDArray like) {
            return tangent.getNDArrayInternal().linear(tangent, run.value(weight, like), null).singletonOrThrow();
        }
    }

    /** {@code nn.LayerNorm} over the last axis (eps 1e-5), switchable to the identity. */
    static final class Norm extends Module {
        private final Parameter weight;
        private final Parameter bias;
        private final Shape shape;
        boolean enabled = true;

        Norm(int dim, List<Norm> registry) {
            shape = new Shape(dim);
            weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA).optShape(shape).build());
            bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BETA).optShape(shape).build());
            registry.add(this);
        }

        NDArray apply(Run run, NDArray x) {
            if (!enabled) {
                return x;
            }
            return x.getNDArrayInternal().layerNorm(x, shape, run.value(weight, x), run.value(bias, x), Geometry.LAYER_NORM_EPS)
                    .singletonOrThrow();
        }

        Tangent apply(Run run, Tangent x) {
            if (!enabled) {
                return x;
            }
            NDArray v = x.value();
            NDArray centred = v.sub(v.mean(new int[] {-1}, true));
            NDArray sigma = centred.square().mean(new int[] {-1}, true).add(Geometry.LAYER_NORM_EPS).sqrt();
            NDArray normalized = centred.div(sigma);
            NDArray t = x.tangent();
            NDArray tc = t.sub(t.mean(new int[] {-1}, true));
            NDArray dn = tc.sub(normalized.mul(normalized.mul(tc).mean(new int[] {-1}, true))).div(sigma);
            return new Tangent(apply(run, v), dn.mul(run.value(weight, v)));
        }
    }

    /** {@code nn.Conv2d} weights of the patch embedding (applied by {@link PatchEmbed}). */
    static final class Conv extends Module {
        final Parameter weight;
        final Parameter bias;

        Conv(int in, int out, int kernel) {
            float bound = (float) (1 / Math.sqrt((double) in * kernel * kernel));
            weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(out, in, kernel, kernel)).optInitializer(new UniformInitializer(bound)).build());
            bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                    .optShape(new Shape(out)).optInitializer(new UniformInitializer(bound)).build());
        }
    }

    /** A container with named children, like {@code nn.ModuleList} / {@code nn.Sequential} for naming. */
    static final class Modules extends Module {
        <B extends Block> B add(String name, B block) {
            return addChildBlock(name, block);
        }
    }
}

package dev.creamery.asvit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.creamery.api.EpochAware;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.api.nn.Act;
import dev.creamery.api.nn.Conv2d;
import dev.creamery.api.nn.LayerNorm;
import dev.creamery.api.nn.Linear;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.MultiHeadAttention;
import dev.creamery.api.nn.Norms;
import dev.creamery.api.nn.Scalars;
import dev.creamery.api.nn.Sequential;
import dev.creamery.api.nn.Taps;
import dev.creamery.api.nn.Windows;
import java.util.ArrayList;
import java.util.Arrays;
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
 * the full tokens. The training-free measures also run it forward with a {@link Tangent}, each part
 * carrying the derivative of its output along with the output.
 *
 * <p>Its complexity is traced at the full tokens and counts what the official thop profile counts:
 * the kit's convention plus the patch embedding's bias additions and the two token poolings.
 */
public final class AsVitNetwork extends Module implements TrainingFreeNetwork, EpochAware {
    /** {@code nn.LayerNorm}'s eps, which the norm's derivative needs too (added in the input's type: see {@link Norms}). */
    private static final double LAYER_NORM_EPS = 1e-5;

    private final Geometry geometry;
    private final ProgressiveTokenization tokenization;
    private int factor = 1;
    private boolean normalized = true;
    private final PatchEmbed patchEmbed;
    private final List<Stage> stages = new ArrayList<>();
    private final LayerNorm norm;
    private final Sequential head;

    AsVitNetwork(Geometry geometry, ProgressiveTokenization tokenization) {
        this.geometry = geometry;
        this.tokenization = tokenization;
        tokenization.factors().forEach(geometry::checkFactor);
        patchEmbed = addChildBlock("patch_embed", new PatchEmbed(geometry));
        Sequential layers = addChildBlock("layers", new Sequential());
        for (int s = 0; s < Topology.STAGES; s++) {
            Stage stage = new Stage(geometry, s);
            stages.add(stage);
            layers.add(stage);
        }
        int features = geometry.features();
        norm = addChildBlock("norm", new LayerNorm(features));
        head = addChildBlock("head", new Sequential(new Linear(features, features), Act.tanh(), new Linear(features, geometry.task.classes())));
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
    public NDArray apply(ParameterStore store, NDArray images, boolean training) {
        Run run = new Run(store, training, training ? factor : 1, normalized);
        NDArray x = run.norm(norm, tokens(run, images)).mean(new int[] {1});
        return head.apply(store, x, training);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        checkInput(input);
        Shape x = patchEmbed.trace(input, macs);
        for (Stage stage : stages) {
            x = stage.trace(x, macs);
        }
        norm.trace(x, macs);
        // thop counts forward_features' AdaptiveAvgPool1d, which it runs twice, as (L + 1) operations per output.
        macs.add(2 * x.get(0) * (x.get(1) + 1) * x.get(2));
        return head.trace(new Shape(x.get(0), x.get(2)), macs);
    }

    @Override
    public NDArray features(ParameterStore store, NDArray images) {
        return tokens(new Run(store, true, 1, normalized), images).mean(new int[] {1});
    }

    @Override
    public Tangent featuresWithTangent(ParameterStore store, NDArray images, NDArray directions) {
        Run run = new Run(store, true, 1, normalized);
        checkInput(images.getShape());
        Tangent x = patchEmbed.apply(run, new Tangent(images, directions));
        for (Stage stage : stages) {
            x = stage.apply(run, x);
        }
        return new Tangent(x.value().mean(new int[] {1}), x.tangent().mean(new int[] {1}));
    }

    private NDArray tokens(Run run, NDArray images) {
        checkInput(images.getShape());
        NDArray x = patchEmbed.apply(run, images);
        for (Stage stage : stages) {
            x = stage.apply(run, x);
        }
        return x;
    }

    private void checkInput(Shape shape) {
        Task task = geometry.task;
        if (shape.dimension() != 4 || shape.get(1) != task.channels() || shape.get(2) != task.height() || shape.get(3) != task.width()) {
            throw new IllegalArgumentException("As-ViT network for " + task + " needs input (N, " + task.channels() + ", "
                    + task.height() + ", " + task.width() + "), got " + shape);
        }
    }

    @Override
    public void normalization(boolean enabled) {
        normalized = enabled;
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
                Arrays.fill(values, 1f);
            }
            array.set(values);
        }
    }

    @Override
    public void reinitializeEmbedding(Random random) {
        List<Parameter> proj = List.copyOf(patchEmbed.proj.getDirectParameters().values());
        Shape weight = proj.get(0).getShape();
        double bound = 1 / Math.sqrt((double) weight.size() / weight.get(0));
        for (Parameter p : proj) {
            float[] values = new float[Math.toIntExact(p.getArray().size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((2 * random.nextDouble() - 1) * bound);
            }
            p.getArray().set(values);
        }
    }

    /**
     * Parameter values, mode, tokenisation factor (1: full tokens) and whether the norms normalise
     * (the official {@code switch_norm}) in one forward pass. A part run on its own, through
     * {@link Module#apply}, runs at full tokens with its norms on.
     */
    record Run(ParameterStore store, boolean training, int factor, boolean normalized) {
        static Run full(ParameterStore store, boolean training) {
            return new Run(store, training, 1, true);
        }

        NDArray norm(LayerNorm norm, NDArray x) {
            return normalized ? norm.apply(store, x, training) : x;
        }

        /** The layer norm's derivative along the tangent: {@code (t̄ - n · mean(n · t̄)) / σ · weight}, t̄ the centred tangent. */
        Tangent norm(LayerNorm norm, Tangent x) {
            if (!normalized) {
                return x;
            }
            NDArray v = x.value();
            NDArray centred = v.sub(v.mean(new int[] {-1}, true));
            NDArray variance = centred.square().mean(new int[] {-1}, true);
            NDArray sigma = variance.add(Norms.eps(variance, LAYER_NORM_EPS)).sqrt();
            NDArray normalizedValue = centred.div(sigma);
            NDArray t = x.tangent();
            NDArray tc = t.sub(t.mean(new int[] {-1}, true));
            NDArray dn = tc.sub(normalizedValue.mul(normalizedValue.mul(tc).mean(new int[] {-1}, true))).div(sigma);
            return new Tangent(norm.apply(store, v, training), dn.mul(store.getValue(norm.weight(), v.getDevice(), training)));
        }

        /** An affine layer moves a tangent by its linear part. */
        Tangent linear(Linear layer, NDArray value, Tangent x) {
            return new Tangent(layer.apply(store, value, training), layer.applyLinearPart(store, x.tangent(), training));
        }
    }

    /** The patch embedding: pad, strided convolution (spread by the tokenisation factor), tokens, layer norm. */
    static final class PatchEmbed extends Module {
        private final Geometry g;
        final Conv2d proj;
        private final LayerNorm norm;

        PatchEmbed(Geometry g) {
            this.g = g;
            int k = g.topology.kernels()[0];
            // The official code pads by hand (centring, and (K-4)//2 before, (K-3)//2 after), so the convolution pads nothing.
            proj = addChildBlock("proj", new Conv2d(g.task.channels(), g.dim[0], k, Geometry.STRIDE, 0, 1, 1, true));
            norm = addChildBlock("norm", new LayerNorm(g.dim[0]));
        }

        private static NDArray tokens(NDArray map) {
            Shape s = map.getShape();
            return map.reshape(s.get(0), s.get(1), s.get(2) * s.get(3)).transpose(0, 2, 1);
        }

        NDArray apply(Run run, NDArray images) {
            int f = run.factor();
            return run.norm(norm, tokens(proj.apply(run.store(), images.pad(g.embedPadding(f), 0), run.training(), f)));
        }

        Tangent apply(Run run, Tangent in) {
            int f = run.factor();
            NDArray value = tokens(proj.apply(run.store(), in.value().pad(g.embedPadding(f), 0), run.training(), f));
            NDArray tangent = tokens(proj.applyLinearPart(run.store(), in.tangent().pad(g.embedPadding(f), 0), run.training(), f));
            return run.norm(norm, new Tangent(value, tangent));
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            return apply(Run.full(store, training), x);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            Shape pad = g.embedPadding(1);
            Shape map = proj.trace(new Shape(input.get(0), input.get(1), input.get(2) + pad.get(2) + pad.get(3),
                    input.get(3) + pad.get(0) + pad.get(1)), macs);
            // thop counts a convolution's bias addition too: one per output.
            macs.add(map.size());
            return norm.trace(new Shape(map.get(0), map.get(2) * map.get(3), map.get(1)), macs);
        }
    }

    /** One stage ({@code BasicLayer}): its transformer blocks, then patch merging unless it is the last. */
    static final class Stage extends Module {
        private final List<TransformerBlock> blocks = new ArrayList<>();
        private final PatchMerging downsample;

        Stage(Geometry g, int s) {
            Sequential list = addChildBlock("blocks", new Sequential());
            for (int i = 0; i < g.topology.layers()[s]; i++) {
                TransformerBlock block = new TransformerBlock(g, s);
                blocks.add(block);
                list.add(block);
            }
            downsample = s < Topology.STAGES - 1 ? addChildBlock("downsample", new PatchMerging(g, s)) : null;
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

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            return apply(Run.full(store, training), x);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            Shape x = input;
            for (TransformerBlock block : blocks) {
                x = block.trace(x, macs);
            }
            return downsample == null ? x : downsample.trace(x, macs);
        }
    }

    /** Pre-norm windowed attention and one pre-norm MLP branch ({@code mlps.0}: norm, MLP), both residual. */
    static final class TransformerBlock extends Module {
        private final int resolution;
        private final int window;
        private final LayerNorm norm1;
        private final MultiHeadAttention attn;
        private final LayerNorm mlpNorm;
        private final Mlp mlp;

        TransformerBlock(Geometry g, int s) {
            resolution = g.resolution[s];
            window = g.window[s];
            norm1 = addChildBlock("norm1", new LayerNorm(g.dim[s]));
            attn = addChildBlock("attn", new MultiHeadAttention(g.dim[s], g.heads[s], g.headDim[s]));
            mlpNorm = new LayerNorm(g.dim[s]);
            mlp = new Mlp(g.dim[s], g.mlpHidden[s]);
            addChildBlock("mlps", new Sequential(new Sequential(mlpNorm, mlp)));
        }

        NDArray apply(Run run, NDArray x) {
            int f = run.factor();
            NDArray y = unpartition(attn.apply(run.store(), partition(run.norm(norm1, x), f), run.training()), x, f);
            x = x.add(y);
            NDArray out = x.add(mlp.apply(run, run.norm(mlpNorm, x)));
            Taps.hidden(out);
            return out;
        }

        Tangent apply(Run run, Tangent x) {
            int f = run.factor();
            Tangent h = run.norm(norm1, x);
            Tangent a = attention(run, new Tangent(partition(h.value(), f), partition(h.tangent(), f)));
            x = new Tangent(x.value().add(unpartition(a.value(), x.value(), f)), x.tangent().add(unpartition(a.tangent(), x.value(), f)));
            Tangent m = mlp.apply(run, run.norm(mlpNorm, x));
            return new Tangent(x.value().add(m.value()), x.tangent().add(m.tangent()));
        }

        /** Self-attention with its derivative: softmax's is {@code p * (ds - sum(p * ds))} along the keys. */
        private Tangent attention(Run run, Tangent x) {
            NDArray parts = attn.split(attn.qkv().apply(run.store(), x.value(), run.training()));
            NDArray dparts = attn.split(attn.qkv().applyLinearPart(run.store(), x.tangent(), run.training()));
            // A double, as in Python: in float32 it rounds to a float, in float64 it must not.
            NDArray q = Scalars.times(parts.get(0), attn.scale());
            NDArray dq = Scalars.times(dparts.get(0), attn.scale());
            NDArray kt = parts.get(1).transpose(0, 1, 3, 2);
            NDArray dkt = dparts.get(1).transpose(0, 1, 3, 2);
            NDArray v = parts.get(2);
            NDArray dv = dparts.get(2);
            NDArray p = q.matMul(kt).softmax(-1);
            NDArray ds = dq.matMul(kt).add(q.matMul(dkt));
            NDArray dp = p.mul(ds.sub(p.mul(ds).sum(new int[] {-1}, true)));
            NDArray out = attn.merge(p.matMul(v));
            NDArray dout = attn.merge(dp.matMul(v).add(p.matMul(dv)));
            return run.linear(attn.proj(), out, new Tangent(out, dout));
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

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            return apply(Run.full(store, training), x);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            norm1.trace(input, macs);
            long windows = (long) (resolution / window) * (resolution / window);
            attn.trace(new Shape(input.get(0) * windows, (long) window * window, input.get(2)), macs);
            return mlp.trace(mlpNorm.trace(input, macs), macs);
        }
    }

    /** fc1, exact (erf) GELU, fc2. */
    static final class Mlp extends Module {
        private static final double INV_SQRT2 = 1 / Math.sqrt(2);
        private static final double INV_SQRT2PI = 1 / Math.sqrt(2 * Math.PI);
        private final Linear fc1;
        private final Linear fc2;

        Mlp(int dim, int hidden) {
            fc1 = addChildBlock("fc1", new Linear(dim, hidden));
            fc2 = addChildBlock("fc2", new Linear(hidden, dim));
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            NDArray h = fc1.apply(store, x, training);
            return fc2.apply(store, h.getNDArrayInternal().gelu(), training);
        }

        NDArray apply(Run run, NDArray x) {
            return apply(run.store(), x, run.training());
        }

        Tangent apply(Run run, Tangent x) {
            Tangent h = run.linear(fc1, x.value(), x);
            // gelu'(h) = Phi(h) + h * phi(h)
            NDArray cdf = h.value().mul(INV_SQRT2).erf().add(1).mul(0.5);
            NDArray pdf = h.value().square().mul(-0.5).exp().mul(INV_SQRT2PI);
            NDArray slope = cdf.add(h.value().mul(pdf));
            NDArray a = h.value().getNDArrayInternal().gelu();
            return run.linear(fc2, a, new Tangent(a, slope.mul(h.tangent())));
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            return fc2.trace(fc1.trace(input, macs), macs);
        }
    }

    /** Overlapping patch merging: pad, unfold k x k with stride 2 ({@code nn.Unfold} order), layer norm, linear without bias. */
    static final class PatchMerging extends Module {
        private final int resolution;
        private final int kernel;
        private final int padBefore;
        private final int padAfter;
        private final Linear reduction;
        private final LayerNorm norm;

        PatchMerging(Geometry g, int s) {
            resolution = g.resolution[s];
            kernel = g.topology.kernels()[s + 1];
            padBefore = (kernel - 2) / 2;
            padAfter = (kernel - 1) / 2;
            reduction = addChildBlock("reduction", new Linear(kernel * kernel * g.dim[s], g.merged(s), false));
            norm = addChildBlock("norm", new LayerNorm(kernel * kernel * g.dim[s]));
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
            return reduction.apply(run.store(), run.norm(norm, unfold(x, run.factor())), run.training());
        }

        Tangent apply(Run run, Tangent x) {
            Tangent n = run.norm(norm, new Tangent(unfold(x.value(), run.factor()), unfold(x.tangent(), run.factor())));
            return run.linear(reduction, n.value(), n);
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            return apply(Run.full(store, training), x);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            long out = resolution / 2;
            return reduction.trace(norm.trace(new Shape(input.get(0), out * out, (long) kernel * kernel * input.get(2)), macs), macs);
        }
    }
}

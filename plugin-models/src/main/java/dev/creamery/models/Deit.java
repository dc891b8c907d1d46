package dev.creamery.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import dev.creamery.api.Task;
import dev.creamery.api.nn.Conv2d;
import dev.creamery.api.nn.DropPath;
import dev.creamery.api.nn.HeadTransform;
import dev.creamery.api.nn.Irpe;
import dev.creamery.api.nn.LayerNorm;
import dev.creamery.api.nn.Linear;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.Named;
import dev.creamery.api.nn.MultiHeadAttention;
import dev.creamery.api.nn.Repeated;
import dev.creamery.api.nn.Sequential;
import dev.creamery.api.nn.Taps;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * DeiT (Touvron et al., ICML 2021) as timm 0.3's {@code VisionTransformer} builds it, and with iRPE
 * the official {@code RPEAttention} in every block: a patch embedding by a strided convolution, a
 * class token and absolute position embeddings, pre-norm blocks (layer norms with eps 1e-6), a final
 * norm and a linear head on the class token. Module names are timm's, so official checkpoints load
 * as they are.
 *
 * <p>With weight multiplexing it is MiniViT's Mini-DeiT ({@code mini_vision_transformer.py}): each of
 * {@code depth / repeats} blocks runs {@code repeats} times in a row, sharing its attention
 * projections and MLP, with its own layer norms, relative position tables and head transformations
 * in each use ({@link Repeated}, official names {@code blocks.i.block.norm1.instances.r}); without a
 * class token, the head reads the mean of the tokens after the final norm.
 */
final class Deit extends Module {
    private static final double EPS = 1e-6;

    private final Conv2d proj;
    private final Parameter clsToken;
    private final boolean pool;
    private final Parameter posEmbed;
    private final Sequential blocks;
    private final LayerNorm norm;
    private final Linear head;
    private final int dim;
    private final long tokens;

    Deit(DeitConfig config, Task task, double dropPathRate) {
        if (task.height() % config.patchSize() != 0 || task.width() % config.patchSize() != 0) {
            throw new IllegalArgumentException("deit: " + task.height() + "x" + task.width() + " images do not split into "
                    + config.patchSize() + "x" + config.patchSize() + " patches; use a patch size that divides the side");
        }
        dim = config.embedDim();
        pool = !config.clsToken();
        tokens = (long) task.height() / config.patchSize() * (task.width() / config.patchSize()) + (pool ? 0 : 1);
        // timm's PatchEmbed: a convolution whose kernel and stride are the patch side, as its proj.
        proj = new Conv2d(task.channels(), dim, config.patchSize(), config.patchSize(), 0, 1, true);
        addChildBlock("patch_embed", new Named("proj", proj));
        clsToken = pool ? null
                : parameter("cls_token", Parameter.Type.OTHER, new Shape(1, 1, dim), new TruncatedNormalInitializer(0.02f), true);
        posEmbed = parameter("pos_embed", Parameter.Type.OTHER, new Shape(1, tokens, dim), new TruncatedNormalInitializer(0.02f), true);
        blocks = addChildBlock("blocks", Sequential.scoped());
        double[] rates = new double[config.depth()];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = config.depth() == 1 ? 0 : dropPathRate * i / (config.depth() - 1);
        }
        int repeats = config.repeats();
        for (int i = 0; i < config.depth() / repeats; i++) {
            double[] uses = Arrays.copyOfRange(rates, i * repeats, (i + 1) * repeats);
            // MiniViT's RepeatedMiniBlock holds the multiplexed block as its block.
            blocks.add(repeats == 1 ? new Block(config, uses) : new Named("block", new Block(config, uses)));
        }
        norm = addChildBlock("norm", new LayerNorm(dim, EPS));
        head = addChildBlock("head", new Linear(dim, task.classes()));
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        NDArray patches = proj.apply(store, x, training).flatten(2, 3).transpose(0, 2, 1);
        long batch = patches.getShape().get(0);
        // The parameters are read into the step's manager, so that the ops on them are freed with the step.
        NDArray pos = store.getValue(posEmbed, x.getDevice(), training).get(x.getManager(), new NDIndex(":"));
        if (pool) {
            return head.apply(store, norm.apply(store, blocks.apply(store, patches.add(pos), training), training).mean(new int[] {1}),
                    training);
        }
        NDArray cls = store.getValue(clsToken, x.getDevice(), training).get(x.getManager(), new NDIndex(":")).broadcast(batch, 1, dim);
        NDArray y = blocks.apply(store, NDArrays.concat(new NDList(cls, patches), 1).add(pos), training);
        return head.apply(store, norm.apply(store, y, training).get(":, 0"), training);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        Shape grid = proj.trace(input, macs);
        Shape y = blocks.trace(new Shape(grid.get(0), tokens, dim), macs);
        return head.trace(new Shape(y.get(0), dim), macs);
    }

    /**
     * timm's pre-norm {@code Block}: {@code x + attn(norm1(x))}, then {@code x + mlp(norm2(x))}, each
     * branch dropped by path; MiniViT's {@code MiniBlock} when its weights serve several uses: the norms,
     * the iRPE tables and the head transformations are then one per use, and the block runs once per
     * use, each with its own drop-path rate.
     */
    static final class Block extends Module {
        private final Module norm1;
        private final MultiHeadAttention attn;
        private final Module norm2;
        private final Mlp mlp;
        private final double[] dropPaths;
        private final List<Repeated<?>> perUse;

        Block(DeitConfig config, double[] dropPaths) {
            int dim = config.embedDim();
            int heads = config.numHeads();
            int headDim = dim / heads;
            int uses = dropPaths.length;
            norm1 = addChildBlock("norm1", perUse(uses, r -> new LayerNorm(dim, EPS)));
            // MiniBlock makes its repeated norms before the attention, timm's Block makes norm2 after it: state_dict order.
            Module secondNorm = uses > 1 ? addChildBlock("norm2", perUse(uses, r -> new LayerNorm(dim, EPS))) : null;
            attn = addChildBlock("attn", new MultiHeadAttention(dim, heads, headDim));
            if (config.rpe() != null) {
                // Each use has tables of its own.
                List<Map<String, Irpe>> tables = IntStream.range(0, uses).mapToObj(r -> config.rpe().encodings(heads, headDim, attn.scale()))
                        .toList();
                for (String name : tables.get(0).keySet()) {
                    if (uses == 1) {
                        attn.encoding(name, tables.get(0).get(name));
                    } else {
                        attn.encoding(name, new Repeated<>(uses, r -> tables.get(r).get(name)));
                    }
                }
            }
            if (config.transform()) {
                attn.encoding("conv_l", new Repeated<>(uses, r -> new HeadTransform(heads, HeadTransform.Place.LOGITS)));
                attn.encoding("conv_w", new Repeated<>(uses, r -> new HeadTransform(heads, HeadTransform.Place.WEIGHTS)));
            }
            norm2 = secondNorm != null ? secondNorm : addChildBlock("norm2", new LayerNorm(dim, EPS));
            mlp = addChildBlock("mlp", new Mlp(dim, (int) (dim * config.mlpRatio())));
            this.dropPaths = dropPaths.clone();
            perUse = Repeated.in(this);
        }

        /** One module, or MiniViT's one per use (the official code keeps single-use modules bare). */
        private static <M extends Module> Module perUse(int uses, IntFunction<M> factory) {
            return uses == 1 ? factory.apply(0) : new Repeated<>(uses, factory);
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            NDArray y = x;
            for (int r = 0; r < dropPaths.length; r++) {
                for (Repeated<?> module : perUse) {
                    module.select(r);
                }
                double dropPath = dropPaths[r];
                y = y.add(DropPath.apply(attn.apply(store, norm1.apply(store, y, training), training), dropPath, training));
                y = y.add(DropPath.apply(mlp.apply(store, norm2.apply(store, y, training), training), dropPath, training));
                Taps.hidden(y);
            }
            return y;
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            for (int r = 0; r < dropPaths.length; r++) {
                attn.trace(input, macs);
                mlp.trace(input, macs);
            }
            return input;
        }
    }

    /** timm's {@code Mlp}: {@code fc2(gelu(fc1(x)))}, GELU exact (erf). */
    static final class Mlp extends Module {
        private final Linear fc1;
        private final Linear fc2;

        Mlp(int dim, int hidden) {
            fc1 = addChildBlock("fc1", new Linear(dim, hidden));
            fc2 = addChildBlock("fc2", new Linear(hidden, dim));
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            return fc2.apply(store, fc1.apply(store, x, training).getNDArrayInternal().gelu(), training);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            return fc2.trace(fc1.trace(input, macs), macs);
        }
    }
}

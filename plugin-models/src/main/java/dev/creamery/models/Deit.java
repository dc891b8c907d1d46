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
import dev.creamery.api.nn.LayerNorm;
import dev.creamery.api.nn.Linear;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.MultiHeadAttention;
import dev.creamery.api.nn.Sequential;

/**
 * DeiT (Touvron et al., ICML 2021) as timm 0.3's {@code VisionTransformer} builds it, and with iRPE
 * the official {@code RPEAttention} in every block: a patch embedding by a strided convolution, a
 * class token and absolute position embeddings, pre-norm blocks (layer norms with eps 1e-6), a final
 * norm and a linear head on the class token. Module names are timm's, so official checkpoints load
 * as they are.
 */
final class Deit extends Module {
    private static final double EPS = 1e-6;

    private final Conv2d proj;
    private final Parameter clsToken;
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
        tokens = (long) task.height() / config.patchSize() * (task.width() / config.patchSize()) + 1;
        proj = addChildBlock("patch_embed", new PatchEmbed(task.channels(), dim, config.patchSize())).proj;
        clsToken = parameter("cls_token", Parameter.Type.OTHER, new Shape(1, 1, dim), new TruncatedNormalInitializer(0.02f), true);
        posEmbed = parameter("pos_embed", Parameter.Type.OTHER, new Shape(1, tokens, dim), new TruncatedNormalInitializer(0.02f), true);
        blocks = addChildBlock("blocks", new Sequential());
        for (int i = 0; i < config.depth(); i++) {
            double rate = config.depth() == 1 ? 0 : dropPathRate * i / (config.depth() - 1);
            blocks.add(new Block(config, rate));
        }
        norm = addChildBlock("norm", new LayerNorm(dim, EPS));
        head = addChildBlock("head", new Linear(dim, task.classes()));
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        NDArray patches = proj.apply(store, x, training).flatten(2, 3).transpose(0, 2, 1);
        long batch = patches.getShape().get(0);
        // The parameters are read into the step's manager, so that the ops on them are freed with the step.
        NDArray cls = store.getValue(clsToken, x.getDevice(), training).get(x.getManager(), new NDIndex(":")).broadcast(batch, 1, dim);
        NDArray pos = store.getValue(posEmbed, x.getDevice(), training).get(x.getManager(), new NDIndex(":"));
        NDArray y = blocks.apply(store, NDArrays.concat(new NDList(cls, patches), 1).add(pos), training);
        return head.apply(store, norm.apply(store, y, training).get(":, 0"), training);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        Shape grid = proj.trace(input, macs);
        Shape y = blocks.trace(new Shape(grid.get(0), tokens, dim), macs);
        return head.trace(new Shape(y.get(0), dim), macs);
    }

    /** timm's pre-norm {@code Block}: {@code x + attn(norm1(x))}, then {@code x + mlp(norm2(x))}, each branch dropped by path. */
    static final class Block extends Module {
        private final LayerNorm norm1;
        private final MultiHeadAttention attn;
        private final LayerNorm norm2;
        private final Mlp mlp;
        private final double dropPath;

        Block(DeitConfig config, double dropPath) {
            int dim = config.embedDim();
            int headDim = dim / config.numHeads();
            norm1 = addChildBlock("norm1", new LayerNorm(dim, EPS));
            attn = addChildBlock("attn", new MultiHeadAttention(dim, config.numHeads(), headDim));
            if (config.rpe() != null) {
                config.rpe().encodings(config.numHeads(), headDim, attn.scale()).forEach(attn::encoding);
            }
            norm2 = addChildBlock("norm2", new LayerNorm(dim, EPS));
            mlp = addChildBlock("mlp", new Mlp(dim, (int) (dim * config.mlpRatio())));
            this.dropPath = dropPath;
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            NDArray y = x.add(DropPath.apply(attn.apply(store, norm1.apply(store, x, training), training), dropPath, training));
            return y.add(DropPath.apply(mlp.apply(store, norm2.apply(store, y, training), training), dropPath, training));
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            attn.trace(input, macs);
            return mlp.trace(input, macs);
        }
    }

    /** timm's {@code PatchEmbed}: a convolution whose kernel and stride are the patch side. */
    static final class PatchEmbed extends Module {
        private final Conv2d proj;

        PatchEmbed(int channels, int dim, int patch) {
            proj = addChildBlock("proj", new Conv2d(channels, dim, patch, patch, 0, 1, true));
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            return proj.apply(store, x, training);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            return proj.trace(input, macs);
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

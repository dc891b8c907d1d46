package dev.creamery.autoformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.training.initializer.XavierInitializer;
import dev.creamery.api.nn.ConvolutionShape;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import java.util.ArrayList;
import java.util.List;

/**
 * AutoFormer's {@code PatchembedSuper}: a {@code patch x patch} convolution with stride {@code patch}
 * whose active member uses the leading {@code embed} output channels, then the patch grid flattened
 * to tokens {@code (N, patches, embed)}, layer-normalised if the network asks for it (S3's
 * {@code patch_norm}).
 */
final class SuperPatchEmbed extends Module {
    private final Projection proj;
    private final SuperLayerNorm norm;

    /**
     * @param channels input channels
     * @param maxEmbed the largest embedding width
     * @param patch the patch side
     */
    SuperPatchEmbed(int channels, int maxEmbed, int patch) {
        this(channels, maxEmbed, patch, false);
    }

    /**
     * @param channels input channels
     * @param maxEmbed the largest embedding width
     * @param patch the patch side
     * @param normalize whether a layer norm ({@code norm}) follows the projection
     */
    SuperPatchEmbed(int channels, int maxEmbed, int patch, boolean normalize) {
        proj = addChildBlock("proj", new Projection(channels, maxEmbed, patch));
        norm = normalize ? addChildBlock("norm", new SuperLayerNorm(maxEmbed)) : null;
    }

    /** @param embed the active embedding width */
    void activate(int embed) {
        proj.activate(embed);
        if (norm != null) {
            norm.activate(embed);
        }
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        NDArray map = proj.apply(store, x, training);
        Shape shape = map.getShape();
        NDArray tokens = map.reshape(shape.get(0), shape.get(1), -1).transpose(0, 2, 1);
        return norm == null ? tokens : norm.apply(store, tokens, training);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        Shape map = proj.trace(input, macs);
        return new Shape(map.get(0), map.get(2) * map.get(3), map.get(1));
    }

    /** @return the parameters the active member reads */
    Parameter[] parameters() {
        List<Parameter> all = new ArrayList<>(List.of(proj.weight, proj.bias));
        if (norm != null) {
            all.addAll(List.of(norm.parameters()));
        }
        return all.toArray(new Parameter[0]);
    }

    /** The convolution, {@code patch_embed_super.proj}, initialised as PyTorch's {@code nn.Conv2d}. */
    private static final class Projection extends Module implements Entangled {
        private final int channels;
        private final int maxEmbed;
        private final Shape patch;
        private final Parameter weight;
        private final Parameter bias;
        private int embed;

        Projection(int channels, int maxEmbed, int patch) {
            this.channels = channels;
            this.maxEmbed = maxEmbed;
            this.patch = new Shape(patch, patch);
            int fanIn = channels * patch * patch;
            weight = parameter("weight", Parameter.Type.WEIGHT, new Shape(maxEmbed, channels, patch, patch),
                    new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.IN, 1), true);
            bias = parameter("bias", Parameter.Type.BIAS, new Shape(maxEmbed), new UniformInitializer((float) (1 / Math.sqrt(fanIn))),
                    true);
            embed = maxEmbed;
        }

        void activate(int activeEmbed) {
            if (activeEmbed < 1 || activeEmbed > maxEmbed) {
                throw new IllegalArgumentException("a patch embedding of " + maxEmbed + " channels cannot run " + activeEmbed);
            }
            embed = activeEmbed;
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            NDArray w = share(weight, store.getValue(weight, x.getDevice(), training),
                    new Shape(embed, channels, patch.get(0), patch.get(1)), x.getManager());
            NDArray b = share(bias, store.getValue(bias, x.getDevice(), training), new Shape(embed), x.getManager());
            return x.getNDArrayInternal().convolution(x, w, b, patch, new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow();
        }

        @Override
        public NDArray share(Parameter parameter, NDArray value, Shape shape, NDManager owner) {
            return Slices.leading(value, shape, owner);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            long p = patch.get(0);
            if (input.dimension() != 4 || input.get(1) != channels || input.get(2) % p != 0 || input.get(3) % p != 0) {
                throw new IllegalArgumentException("the patch embedding takes (N, " + channels + ", H, W) with H and W multiples of "
                        + p + ", got " + input);
            }
            long h = input.get(2) / p;
            long w = input.get(3) / p;
            macs.convolution(new ConvolutionShape(channels, embed, p, p, 0, 1, 1, input.get(2), input.get(3)), input.get(0), h * w);
            return new Shape(input.get(0), embed, h, w);
        }
    }
}

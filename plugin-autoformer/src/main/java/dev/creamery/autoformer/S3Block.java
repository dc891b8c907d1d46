package dev.creamery.autoformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.creamery.api.nn.DerivedBuffer;
import dev.creamery.api.nn.DropPath;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.RpeConfig;
import dev.creamery.api.nn.Taps;
import dev.creamery.api.nn.Windows;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * S3's {@code SwinTransformerBlock} on a square grid of tokens: {@code x + attn(LN(x))} over
 * (shifted) windows, then {@code x + fc2(GELU(fc1(LN(x))))}, each branch under stochastic depth.
 * The active member sets the embedding width, the MLP ratio (hidden width
 * {@code int(embed · ratio)}), the heads and the window.
 */
final class S3Block extends Module {
    private final int resolution;
    private final boolean odd;
    private final int maxHidden;
    private final double dropPath;
    private final SuperLayerNorm norm1;
    private final S3WindowAttention attn;
    private final SuperLayerNorm norm2;
    private final Mlp mlp;

    /**
     * @param maxEmbed the largest embedding width
     * @param maxHidden the largest MLP hidden width
     * @param maxHeads the most heads
     * @param headDim the width of a head
     * @param rpe iRPE, or null
     * @param resolution the side of the stage's token grid
     * @param odd whether the block has an odd index in its stage (odd blocks shift their windows)
     * @param windows the configured window sides a member may choose
     * @param dropPath the stochastic depth rate of this block
     */
    S3Block(int maxEmbed, int maxHidden, int maxHeads, int headDim, RpeConfig rpe, int resolution, boolean odd, List<Integer> windows,
            double dropPath) {
        this.resolution = resolution;
        this.odd = odd;
        this.maxHidden = maxHidden;
        this.dropPath = dropPath;
        Set<S3WindowAttention.Window> runs = new LinkedHashSet<>();
        for (int configured : windows) {
            runs.add(S3WindowAttention.Window.of(configured, resolution, odd));
        }
        norm1 = addChildBlock("norm1", new SuperLayerNorm(maxEmbed));
        attn = addChildBlock("attn", new S3WindowAttention(maxEmbed, maxHeads, headDim, rpe, resolution, runs));
        norm2 = addChildBlock("norm2", new SuperLayerNorm(maxEmbed));
        mlp = addChildBlock("mlp", new Mlp(maxEmbed, maxHidden));
    }

    /**
     * @param embed the active embedding width
     * @param mlpRatio the active MLP ratio
     * @param heads the active number of heads
     * @param window the active configured window side
     */
    void activate(int embed, double mlpRatio, int heads, int window) {
        int hidden = hidden(embed, mlpRatio);
        if (hidden > maxHidden) {
            throw new IllegalArgumentException("an MLP of " + maxHidden + " hidden units cannot run ratio " + mlpRatio + " at width "
                    + embed + " (" + hidden + " units)");
        }
        norm1.activate(embed);
        attn.activate(embed, heads, S3WindowAttention.Window.of(window, resolution, odd));
        norm2.activate(embed);
        mlp.activate(embed, hidden);
    }

    /**
     * @param embed an embedding width
     * @param mlpRatio an MLP ratio
     * @return the MLP's hidden width, truncated as the official {@code int(dim * mlp_ratio)}
     */
    static int hidden(int embed, double mlpRatio) {
        return (int) (embed * mlpRatio);
    }

    /** The official block, not its attention, holds the shifted window's mask. */
    @Override
    public List<DerivedBuffer> derivedBuffers() {
        return attn.attentionMask().map(List::of).orElse(List.of());
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long channels = shape.get(2);
        S3WindowAttention.Window window = attn.window();
        NDArray grid = Windows.roll(norm1.apply(store, x, training).reshape(batch, resolution, resolution, channels), -window.shift());
        NDArray attended = Windows.reverse(attn.apply(store, Windows.partition(grid, window.size()), training), batch, resolution,
                resolution, window.size());
        NDArray y = x.add(DropPath.apply(Windows.roll(attended, window.shift()).reshape(shape), dropPath, training));
        NDArray out = y.add(DropPath.apply(mlp.apply(store, norm2.apply(store, y, training), training), dropPath, training));
        Taps.hidden(out);
        return out;
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        if (input.get(1) != (long) resolution * resolution) {
            throw new IllegalArgumentException("a block of a " + resolution + "x" + resolution + " grid got " + input);
        }
        Shape normalized = norm1.trace(input, macs);
        long size = attn.window().size();
        long windows = input.get(0) * (resolution / size) * (resolution / size);
        attn.trace(new Shape(windows, size * size, normalized.get(2)), macs);
        return mlp.trace(norm2.trace(input, macs), macs);
    }

    /** @return the parameters the active member reads */
    List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(List.of(norm1.parameters()));
        all.addAll(attn.parameters());
        all.addAll(List.of(norm2.parameters()));
        all.addAll(mlp.parameters());
        return all;
    }

    /** The official {@code Mlp}: {@code fc2(GELU(fc1(x)))}. */
    private static final class Mlp extends Module {
        private final SuperLinear fc1;
        private final SuperLinear fc2;

        Mlp(int maxEmbed, int maxHidden) {
            fc1 = addChildBlock("fc1", SuperLinear.of(maxEmbed, maxHidden));
            fc2 = addChildBlock("fc2", SuperLinear.of(maxHidden, maxEmbed));
        }

        void activate(int embed, int hidden) {
            fc1.activate(embed, hidden);
            fc2.activate(hidden, embed);
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            return fc2.apply(store, Activation.gelu(fc1.apply(store, x, training)), training);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            return fc2.trace(fc1.trace(input, macs), macs);
        }

        List<Parameter> parameters() {
            List<Parameter> all = new ArrayList<>(List.of(fc1.parameters()));
            all.addAll(List.of(fc2.parameters()));
            return all;
        }
    }
}

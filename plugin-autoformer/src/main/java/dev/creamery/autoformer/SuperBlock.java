package dev.creamery.autoformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.creamery.api.nn.DropPath;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.RpeConfig;
import dev.creamery.api.nn.Taps;
import java.util.ArrayList;
import java.util.List;

/**
 * AutoFormer's {@code TransformerEncoderLayer} (pre-norm): {@code x + attn(LN(x))}, then
 * {@code x + fc2(GELU(fc1(LN(x))))}, each branch under stochastic depth. The active member sets the
 * embedding width, the MLP ratio (hidden width {@code int(embed · ratio)}, as the official code
 * truncates it) and the heads.
 */
final class SuperBlock extends Module {
    private final int maxHidden;
    private final double dropPath;
    private final SuperAttention attn;
    private final SuperLayerNorm attnNorm;
    private final SuperLayerNorm ffnNorm;
    private final SuperLinear fc1;
    private final SuperLinear fc2;

    /**
     * @param maxEmbed the largest embedding width
     * @param maxHidden the largest MLP hidden width
     * @param maxHeads the most heads
     * @param headDim the width of a head
     * @param relative relative position settings, or null
     * @param rpe iRPE, or null
     * @param dropPath the stochastic depth rate of this block
     */
    SuperBlock(int maxEmbed, int maxHidden, int maxHeads, int headDim, SuperAttention.RelativePositions relative, RpeConfig rpe,
            double dropPath) {
        this.maxHidden = maxHidden;
        this.dropPath = dropPath;
        attn = addChildBlock("attn", new SuperAttention(maxEmbed, maxHeads, headDim, relative, rpe));
        attnNorm = addChildBlock("attn_layer_norm", new SuperLayerNorm(maxEmbed));
        ffnNorm = addChildBlock("ffn_layer_norm", new SuperLayerNorm(maxEmbed));
        fc1 = addChildBlock("fc1", SuperLinear.of(maxEmbed, maxHidden));
        fc2 = addChildBlock("fc2", SuperLinear.of(maxHidden, maxEmbed));
    }

    /**
     * @param embed the active embedding width
     * @param mlpRatio the active MLP ratio
     * @param heads the active number of heads
     */
    void activate(int embed, double mlpRatio, int heads) {
        int hidden = hidden(embed, mlpRatio);
        if (hidden > maxHidden) {
            throw new IllegalArgumentException("an MLP of " + maxHidden + " hidden units cannot run ratio " + mlpRatio
                    + " at width " + embed + " (" + hidden + " units)");
        }
        attn.activate(embed, heads);
        attnNorm.activate(embed);
        ffnNorm.activate(embed);
        fc1.activate(embed, hidden);
        fc2.activate(hidden, embed);
    }

    /**
     * @param embed an embedding width
     * @param mlpRatio an MLP ratio
     * @return the MLP's hidden width, truncated as the official {@code int(embed * ratio)}
     */
    static int hidden(int embed, double mlpRatio) {
        return (int) (embed * mlpRatio);
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        NDArray attended = attn.apply(store, attnNorm.apply(store, x, training), training);
        NDArray y = x.add(DropPath.apply(attended, dropPath, training));
        NDArray hidden = Activation.gelu(fc1.apply(store, ffnNorm.apply(store, y, training), training));
        NDArray out = y.add(DropPath.apply(fc2.apply(store, hidden, training), dropPath, training));
        Taps.hidden(out);
        return out;
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        Shape attended = attn.trace(attnNorm.trace(input, macs), macs);
        return fc2.trace(fc1.trace(ffnNorm.trace(attended, macs), macs), macs);
    }

    /** @return the parameters the active member reads */
    List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(attn.parameters());
        all.addAll(List.of(attnNorm.parameters()));
        all.addAll(List.of(ffnNorm.parameters()));
        all.addAll(List.of(fc1.parameters()));
        all.addAll(List.of(fc2.parameters()));
        return all;
    }
}

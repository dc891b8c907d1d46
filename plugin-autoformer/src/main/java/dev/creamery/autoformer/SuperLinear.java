package dev.creamery.autoformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;

/**
 * AutoFormer's {@code LinearSuper}: a linear layer over the last dimension whose active member uses
 * {@code weight[:out, :in]} and {@code bias[:out]}. Initialised as the official network initialises
 * every {@code nn.Linear} ({@code trunc_normal_(std=0.02)}, zero bias).
 *
 * <p>The {@linkplain #qkv qkv variant} is the official {@code qkv_super}: its weight rows interleave
 * query, key and value ({@code 3i}, {@code 3i+1}, {@code 3i+2} belong to channel {@code i}), so a
 * member takes the leading {@code 3·qk} rows and regroups them as
 * {@code [q rows; k rows; v rows]}, while the bias is read contiguously, {@code bias[:3·qk]}. Keeping
 * that layout in every network, supernet or standalone, makes extraction a plain leading slice.
 *
 * <p>The {@linkplain #grouped grouped variant} splits its inputs or outputs into equal consecutive
 * groups and a member uses the leading part of each group (S3's {@code [q; k; v]} rows, and the
 * four gathered pixels a patch merging reads), which is how the official code lays out a network
 * built at the member's own widths.
 */
final class SuperLinear extends Module implements Entangled {
    private final int maxIn;
    private final int maxOut;
    private final boolean interleaved;
    private final int inGroups;
    private final int outGroups;
    private final Parameter weight;
    private final Parameter bias;
    private int in;
    private int out;

    private SuperLinear(int maxIn, int maxOut, boolean bias, boolean interleaved, int inGroups, int outGroups) {
        this.maxIn = maxIn;
        this.maxOut = maxOut;
        this.interleaved = interleaved;
        this.inGroups = inGroups;
        this.outGroups = outGroups;
        weight = parameter("weight", Parameter.Type.WEIGHT, new Shape(maxOut, maxIn), new TruncatedNormalInitializer(0.02f), true);
        this.bias = bias ? parameter("bias", Parameter.Type.BIAS, new Shape(maxOut), Initializer.ZEROS, true) : null;
        activate(maxIn, maxOut);
    }

    /**
     * @param maxIn the largest input width
     * @param maxOut the largest output width
     * @return a linear layer with a bias
     */
    static SuperLinear of(int maxIn, int maxOut) {
        return new SuperLinear(maxIn, maxOut, true, false, 1, 1);
    }

    /**
     * @param maxIn the largest input width, all groups together
     * @param inGroups the number of equal input groups
     * @param maxOut the largest output width, all groups together
     * @param outGroups the number of equal output groups
     * @param bias whether the layer has a bias
     * @return a linear layer whose member reads the leading part of each group
     */
    static SuperLinear grouped(int maxIn, int inGroups, int maxOut, int outGroups, boolean bias) {
        return new SuperLinear(maxIn, maxOut, bias, false, inGroups, outGroups);
    }

    /**
     * @param maxIn the largest embedding width
     * @param maxQk the largest query/key/value width (heads x head width)
     * @param bias whether the projection has a bias
     * @return the query-key-value projection, {@code 3·maxQk} interleaved output rows
     */
    static SuperLinear qkv(int maxIn, int maxQk, boolean bias) {
        return new SuperLinear(maxIn, 3 * maxQk, bias, true, 1, 1);
    }

    /**
     * @param activeIn the input width of the active member
     * @param activeOut its output width (for qkv: three times the query width)
     */
    void activate(int activeIn, int activeOut) {
        if (activeIn > maxIn || activeOut > maxOut || activeIn < 1 || activeOut < 1 || (interleaved && activeOut % 3 != 0)
                || activeIn % inGroups != 0 || activeOut % outGroups != 0) {
            throw new IllegalArgumentException("a " + maxIn + " -> " + maxOut + " layer cannot run " + activeIn + " -> " + activeOut);
        }
        in = activeIn;
        out = activeOut;
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        NDArray w = share(weight, store.getValue(weight, x.getDevice(), training), new Shape(out, in), x.getManager());
        if (interleaved) {
            w = w.reshape(out / 3, 3, in).transpose(1, 0, 2).reshape(out, in);
        }
        NDArray b = bias == null ? null : share(bias, store.getValue(bias, x.getDevice(), training), new Shape(out), x.getManager());
        return x.getNDArrayInternal().linear(x, w, b).singletonOrThrow();
    }

    /** The interleaved qkv keeps its raw row layout here: a member's own tensor is interleaved too. */
    @Override
    public NDArray share(Parameter parameter, NDArray value, Shape shape, NDManager owner) {
        int[] groups = parameter == weight ? new int[] {outGroups, inGroups} : new int[] {outGroups};
        return Slices.grouped(value, groups, shape, owner);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        if (input.getLastDimension() != in) {
            throw new IllegalArgumentException("linear layer expects " + in + " features last, got " + input);
        }
        macs.add(input.size() / in * out * (long) in);
        return input.slice(0, input.dimension() - 1).add(out);
    }

    /** @return the parameters the active member reads */
    Parameter[] parameters() {
        return bias == null ? new Parameter[] {weight} : new Parameter[] {weight, bias};
    }
}

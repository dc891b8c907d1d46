package dev.creamery.autoformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import dev.creamery.api.nn.Attention;
import dev.creamery.api.nn.DerivedBuffer;
import dev.creamery.api.nn.Irpe;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.PositionEncoding;
import dev.creamery.api.nn.RpeConfig;
import dev.creamery.api.nn.Scalars;
import dev.creamery.api.nn.Taps;
import dev.creamery.api.nn.Windows;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * S3's {@code WindowAttention} over the windows of one block: heads of a fixed width
 * ({@code head_dim} 32 in the official code, scale {@code head_dim^-0.5}), so a block of
 * {@code heads} heads projects to {@code heads · head_dim} queries, keys and values
 * ({@code qkv}, rows {@code [q; k; v]}) and back to the embedding width ({@code proj}); a learned
 * bias per head and relative offset ({@code relative_position_bias_table}, offsets row-major over
 * {@code (2w-1) × (2w-1)}) joins the logits, and a shifted window adds the official mask (−100
 * between tokens that were not neighbours before the shift): both are the kit attention's
 * position encodings. If the space asks for iRPE, its encodings ({@code rpe_q}, {@code rpe_k},
 * {@code rpe_v}, tables shared across heads) come between the two, over each window's grid.
 *
 * <p>Weight entanglement: a member with fewer heads reads the leading rows of each of {@code q},
 * {@code k} and {@code v}, the leading columns of {@code proj} and the leading heads of the table;
 * a smaller window reads the table's centre — the offsets it can see, each keeping the bias the
 * largest window has for that same offset.
 */
final class S3WindowAttention extends Module implements Entangled {
    private final int maxHeads;
    private final int headDim;
    private final int resolution;
    private final Set<Window> windows;
    private final Parameter table;
    private final SuperLinear qkv;
    private final SuperLinear proj;
    private final Map<Integer, NDArray> indexes = new HashMap<>();
    private final Map<Window, NDArray> masks = new HashMap<>();
    private final List<PositionEncoding> encodings = new ArrayList<>();
    private final List<Irpe> irpe = new ArrayList<>();
    private int heads;
    private Window window;

    /**
     * One window of a block: its side and its cyclic shift.
     *
     * @param size the window side
     * @param shift the shift of the token grid before partitioning (0 for none)
     */
    record Window(int size, int shift) {
        /**
         * The official rule: a window at least as large as the grid covers it whole, unshifted;
         * otherwise odd blocks shift by half a window.
         *
         * @param configured the configured window side
         * @param resolution the side of the stage's token grid
         * @param odd whether the block has an odd index in its stage
         * @return the window the block runs
         * @throws IllegalArgumentException if the window is smaller than the grid and does not divide it
         */
        static Window of(int configured, int resolution, boolean odd) {
            if (resolution <= configured) {
                return new Window(resolution, 0);
            }
            if (resolution % configured != 0) {
                throw new IllegalArgumentException("window " + configured + " does not divide the stage's " + resolution + "x"
                        + resolution + " tokens");
            }
            return new Window(configured, odd ? configured / 2 : 0);
        }

        /** @return the tokens of one window */
        int tokens() {
            return size * size;
        }
    }

    /**
     * @param maxEmbed the largest embedding width
     * @param maxHeads the most heads
     * @param headDim the width of a head
     * @param rpe iRPE (shared across heads) after the relative position bias, or null
     * @param resolution the side of the stage's token grid
     * @param windows every window a member may run here
     */
    S3WindowAttention(int maxEmbed, int maxHeads, int headDim, RpeConfig rpe, int resolution, Set<Window> windows) {
        this.maxHeads = maxHeads;
        this.headDim = headDim;
        this.resolution = resolution;
        this.windows = Set.copyOf(windows);
        int side = 2 * windows.stream().mapToInt(Window::size).max().orElseThrow() - 1;
        table = parameter("relative_position_bias_table", Parameter.Type.OTHER, new Shape((long) side * side, maxHeads),
                new TruncatedNormalInitializer(0.02f), true);
        qkv = addChildBlock("qkv", SuperLinear.grouped(maxEmbed, 1, 3 * maxHeads * headDim, 3, true));
        proj = addChildBlock("proj", SuperLinear.of(maxHeads * headDim, maxEmbed));
        encodings.add(new RelativeBias());
        if (rpe != null) {
            rpe.encodings(maxHeads, headDim, 1 / Math.sqrt(headDim)).forEach((name, encoding) -> {
                irpe.add(addChildBlock(name, encoding));
                encodings.add(encoding);
            });
        }
        encodings.add(new ShiftMask());
    }

    /**
     * @param embed the active embedding width
     * @param activeHeads the active number of heads
     * @param activeWindow the active window, one of those given at construction
     */
    void activate(int embed, int activeHeads, Window activeWindow) {
        if (activeHeads < 1 || activeHeads > maxHeads || !windows.contains(activeWindow)) {
            throw new IllegalArgumentException("an attention of " + maxHeads + " heads over windows " + windows + " cannot run "
                    + activeHeads + " heads over " + activeWindow);
        }
        heads = activeHeads;
        window = activeWindow;
        qkv.activate(embed, 3 * heads * headDim);
        proj.activate(heads * headDim, embed);
    }

    /** The offset indexes and masks are constants of the network, made once with its parameters. */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        super.initializeChildBlocks(manager, dataType, inputShapes);
        for (Window w : windows) {
            long n = w.tokens();
            indexes.computeIfAbsent(w.size(), size -> manager.create(relativeIndex(size), new Shape(n, n)));
            if (w.shift() > 0) {
                long count = (long) (resolution / w.size()) * (resolution / w.size());
                // Shaped (windows, 1, n, n) so that it broadcasts over the batch and the heads with no op on it.
                NDArray mask = manager.create(Windows.shiftMask(resolution, resolution, w.size(), w.shift()), new Shape(count, 1, n, n));
                masks.put(w, dataType == DataType.FLOAT32 ? mask : convert(mask, dataType));
            }
        }
    }

    private static NDArray convert(NDArray array, DataType type) {
        NDArray converted = array.toType(type, false);
        array.close();
        return converted;
    }

    /**
     * The official {@code relative_position_index} of a window: for tokens {@code i} and {@code j}
     * (row-major in the window), the row of the bias table of their offset.
     *
     * @param size the window side
     * @return the {@code size² × size²} indexes, row-major
     */
    static long[] relativeIndex(int size) {
        int n = size * size;
        int side = 2 * size - 1;
        long[] index = new long[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                index[i * n + j] = (long) (i / size - j / size + size - 1) * side + (i % size - j % size + size - 1);
            }
        }
        return index;
    }

    /** @return the window the active member runs */
    Window window() {
        return window;
    }

    /** The official {@code relative_position_index} of the active window (none before a member is active). */
    @Override
    public List<DerivedBuffer> derivedBuffers() {
        if (window == null) {
            return List.of();
        }
        long n = window.tokens();
        return List.of(DerivedBuffer.of("relative_position_index", new Shape(n, n), "the relative position index of a "
                + window.size() + "x" + window.size() + " window", relativeIndex(window.size())));
    }

    /** @return the official {@code attn_mask} of the active window, which the official block holds, if it is shifted */
    Optional<DerivedBuffer> attentionMask() {
        if (window == null || window.shift() == 0) {
            return Optional.empty();
        }
        long n = window.tokens();
        long count = (long) (resolution / window.size()) * (resolution / window.size());
        return Optional.of(DerivedBuffer.of("attn_mask", new Shape(count, n, n), "the mask of a " + window.size() + "x" + window.size()
                + " window shifted by " + window.shift(), () -> Windows.shiftMask(resolution, resolution, window.size(), window.shift())));
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        Shape shape = x.getShape();
        long batchWindows = shape.get(0);
        long n = shape.get(1);
        NDList parts = qkv.apply(store, x, training).reshape(batchWindows, n, 3, heads, headDim).transpose(2, 0, 3, 1, 4).split(3, 0);
        NDArray k = parts.get(1).squeeze(0);
        NDArray v = parts.get(2).squeeze(0);
        Taps.attention(parts.get(0).squeeze(0), k, v);
        NDArray q = Scalars.times(parts.get(0).squeeze(0), 1 / Math.sqrt(headDim));
        NDArray out = Attention.attend(store, q, k, v, encodings, training)
                .transpose(0, 2, 1, 3).reshape(batchWindows, n, (long) heads * headDim);
        return proj.apply(store, out, training);
    }

    /** Bias mode: the active member's share of the table, gathered by the active window's offset index. */
    private final class RelativeBias implements PositionEncoding {
        @Override
        public NDArray logits(ParameterStore store, NDArray logits, NDArray q, NDArray k, boolean training) {
            int rows = 2 * window.size() - 1;
            NDArray offsets = share(table, store.getValue(table, logits.getDevice(), training), new Shape((long) rows * rows, heads),
                    logits.getManager());
            NDArray index = RelativePosition2d.onDevice(indexes.get(window.size()), logits);
            return logits.add(offsets.get(new NDIndex("{}", index)).transpose(2, 0, 1));
        }
    }

    /** A shifted window's mask, shaped (windows, 1, n, n): it repeats over the batch, so the logits take the windows apart. */
    private final class ShiftMask implements PositionEncoding {
        @Override
        public NDArray logits(ParameterStore store, NDArray logits, NDArray q, NDArray k, boolean training) {
            NDArray mask = masks.get(window);
            if (mask == null) {
                return logits;
            }
            Shape s = logits.getShape();
            long count = mask.getShape().get(0);
            return logits.reshape(s.get(0) / count, count, s.get(1), s.get(2), s.get(3)).add(RelativePosition2d.onDevice(mask, logits))
                    .reshape(s);
        }
    }

    /** A smaller window's table is the centre of the larger one's, the same offsets; fewer heads take the leading columns. */
    @Override
    public NDArray share(Parameter parameter, NDArray value, Shape shape, NDManager owner) {
        int large = side(value.getShape().get(0));
        int small = side(shape.get(0));
        long from = (large - small) / 2;
        String centre = from + ":" + (from + small);
        return Slices.leading(value, new Shape(value.getShape().get(0), shape.get(1)), owner).reshape(large, large, shape.get(1))
                .get(new NDIndex(centre + "," + centre + ",:")).reshape(shape);
    }

    private static int side(long rows) {
        int side = (int) Math.round(Math.sqrt(rows));
        if ((long) side * side != rows || side % 2 == 0) {
            throw new IllegalArgumentException("a bias table of " + rows + " rows is not a (2w-1)^2 grid of offsets");
        }
        return side;
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        long batchWindows = input.get(0);
        long n = input.get(1);
        qkv.trace(input, macs);
        Shape perHead = new Shape(batchWindows, heads, n, headDim);
        Attention.trace(perHead, perHead, perHead, encodings, macs);
        return proj.trace(input.slice(0, 2).add((long) heads * headDim), macs);
    }

    /** @return the parameters the active member reads */
    List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(List.of(table));
        all.addAll(List.of(qkv.parameters()));
        all.addAll(List.of(proj.parameters()));
        irpe.forEach(encoding -> all.addAll(encoding.getParameters().values()));
        return all;
    }
}

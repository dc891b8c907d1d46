package dev.creamery.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import dev.creamery.api.nn.DerivedBuffer;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.PositionEncoding;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The LeViT-style attention biases of EfficientViT and TinyViT: one learned bias per head and per
 * offset {@code (|dy|, |dx|)} between two points of a square window, stored as {@code attention_biases}
 * {@code (heads, r*r)}. The official code keeps the offset index of every point pair as the buffer
 * {@code attention_bias_idxs}; here it is derived, and its owner declares it
 * ({@link #indexBuffer()}), so official checkpoints that carry it are checked against it.
 *
 * <p>TinyViT's attention runs it as a {@link PositionEncoding} in bias mode; EfficientViT's cascade
 * adds one head's slice at a time.
 *
 * <p>The gathered {@code (heads, N, N)} map is rebuilt on every forward pass, in the input's manager:
 * one gather, small next to the attention products it is added to, and it can never go stale when
 * weights are loaded or trained in place. An inference form may cache it ({@link #gatherPerHead()}),
 * as the official eval mode does, and must drop it on a training pass.
 */
final class AttentionBias implements PositionEncoding {
    private static final String TABLE = "attention_biases";
    private static final String INDEX = "attention_bias_idxs";

    /** Index tables are immutable and grow with the window's fourth power: one per window side. */
    private static final Map<Integer, long[]> INDEXES = new ConcurrentHashMap<>();

    private final int resolution;
    private final Parameter table;
    private final long[] index;
    private NDArray indexArray;

    /**
     * Declares {@code attention_biases} on {@code owner}, which must call {@link #initialize} when it is
     * initialised.
     */
    AttentionBias(Module owner, int heads, int resolution) {
        this.resolution = resolution;
        this.table = owner.parameter(TABLE, Parameter.Type.OTHER, new Shape(heads, (long) resolution * resolution),
                Initializer.ZEROS, true);
        this.index = INDEXES.computeIfAbsent(resolution, AttentionBias::offsets);
    }

    /**
     * Numbers the offsets between the points of an {@code r x r} window (row-major) in the order the
     * official code meets them: for each first point, for each second point, a new offset gets the
     * next number.
     *
     * @param r the window side
     * @return the {@code (r*r) x (r*r)} index, row-major
     */
    static long[] offsets(int r) {
        int n = r * r;
        int[] ids = new int[n];
        Arrays.fill(ids, -1);
        int next = 0;
        long[] index = new long[n * n];
        for (int p1 = 0; p1 < n; p1++) {
            for (int p2 = 0; p2 < n; p2++) {
                int offset = Math.abs(p1 / r - p2 / r) * r + Math.abs(p1 % r - p2 % r);
                if (ids[offset] < 0) {
                    ids[offset] = next++;
                }
                index[p1 * n + p2] = ids[offset];
            }
        }
        return index;
    }

    /** @return the official {@code attention_bias_idxs}, for the owner's {@link Module#derivedBuffers()} */
    DerivedBuffer indexBuffer() {
        long n = (long) resolution * resolution;
        return DerivedBuffer.of(INDEX, new Shape(n, n), "the offset index of a " + resolution + "x" + resolution
                + " attention window", index);
    }

    /** Bias mode: the head's bias of each point pair joins its logit. */
    @Override
    public NDArray logits(ParameterStore store, NDArray logits, NDArray q, NDArray k, boolean training) {
        return logits.add(gather(store, logits, training));
    }

    void initialize(NDManager manager) {
        if (indexArray != null) {
            indexArray.close();
        }
        long n = (long) resolution * resolution;
        indexArray = manager.create(index, new Shape(n, n));
    }

    /**
     * The gathered map of each head from the table as it is now, without gradients: what the official
     * eval mode caches ({@code self.ab}) until the next training pass.
     *
     * @return one {@code (N, N)} map per head, in the table's manager (closing the list frees them)
     */
    NDList gatherPerHead() {
        NDArray values = table.getArray();
        NDManager manager = values.getManager();
        try (NDManager scope = manager.newSubManager()) {
            NDArray all = values.get(scope, new NDIndex(":, {}", indexArray)).stopGradient();
            NDList heads = new NDList();
            for (int i = 0; i < all.getShape().get(0); i++) {
                heads.add(all.get(i).duplicate());
            }
            heads.attach(manager);
            return heads;
        }
    }

    /**
     * @param store where the table's value comes from
     * @param like an array of the forward pass: the result is on its device and in its manager
     * @param training whether to run in training mode
     * @return the biases {@code (heads, N, N)}
     */
    NDArray gather(ParameterStore store, NDArray like, boolean training) {
        NDArray values = store.getValue(table, like.getDevice(), training);
        NDArray idx = indexArray;
        if (!idx.getDevice().equals(like.getDevice())) {
            idx = idx.toDevice(like.getDevice(), false);
            idx.attach(like.getManager());
        }
        return values.get(like.getManager(), new NDIndex(":, {}", idx));
    }
}

package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The intermediates of chosen layers, recorded during one forward pass for weight distillation
 * (MiniViT): each layer's queries, keys and values and its output, the hidden state. DJL has no
 * forward hooks, so the kit's layers report to the recording open on their thread, if any: an
 * attention calls {@link #attention} with its queries, keys and values, a block calls {@link #hidden}
 * with its output. Layers count in the order the forward pass runs them, from 0, a multiplexed block
 * counting once per use, as the official {@code layer_id_list} counts them. With no recording open
 * the calls cost a thread-local read.
 */
public final class Taps implements AutoCloseable {
    private static final ThreadLocal<Taps> OPEN = new ThreadLocal<>();

    private final int[] layers;
    private final Taps outer;
    private final TreeMap<Integer, NDArray[]> attention = new TreeMap<>();
    private final TreeMap<Integer, NDArray> hidden = new TreeMap<>();
    private int attentionLayers;
    private int hiddenLayers;

    private Taps(int[] layers, Taps outer) {
        this.layers = layers;
        this.outer = outer;
    }

    /**
     * Opens a recording on this thread until {@link #close}; a recording opened inside it (a teacher
     * run inside a student's step) records on its own and gives the thread back when closed.
     *
     * @param layers the layers to record, in any order
     * @return the recording
     */
    public static Taps record(List<Integer> layers) {
        int[] sorted = layers.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
        if (sorted.length != layers.size() || (sorted.length > 0 && sorted[0] < 0)) {
            throw new IllegalArgumentException("layers to record must be distinct and >= 0, got " + layers);
        }
        Taps taps = new Taps(sorted, OPEN.get());
        OPEN.set(taps);
        return taps;
    }

    /** @return whether this thread records layers now (what a scoped block makes must then outlive it) */
    static boolean recording() {
        return OPEN.get() != null;
    }

    /**
     * Reports an attention layer's queries, keys and values, before the queries are scaled.
     *
     * @param q {@code (B, heads, N, d)}
     * @param k {@code (B, heads, N, d)}
     * @param v {@code (B, heads, N, d)}
     */
    public static void attention(NDArray q, NDArray k, NDArray v) {
        Taps taps = OPEN.get();
        if (taps != null && taps.wants(taps.attentionLayers++)) {
            taps.attention.put(taps.attentionLayers - 1, new NDArray[] {merged(q), merged(k), merged(v)});
        }
    }

    /**
     * Reports a block's output.
     *
     * @param x {@code (B, N, C)}
     */
    public static void hidden(NDArray x) {
        Taps taps = OPEN.get();
        if (taps != null && taps.wants(taps.hiddenLayers++)) {
            taps.hidden.put(taps.hiddenLayers - 1, x);
        }
    }

    /**
     * @return the recorded layers' {@code [q, k, v]}, each {@code (B, N, heads * d)} (the heads side
     *     by side, the official {@code qkv_out}), in the order of depth
     * @throws IllegalStateException if the pass ran fewer attention layers than asked for
     */
    public List<NDArray[]> attention() {
        return complete(attention, attentionLayers, "attention");
    }

    /**
     * @return the recorded layers' outputs, each {@code (B, N, C)}, in the order of depth
     * @throws IllegalStateException if the pass ran fewer blocks than asked for
     */
    public List<NDArray> hidden() {
        return complete(hidden, hiddenLayers, "block");
    }

    private boolean wants(int layer) {
        return java.util.Arrays.binarySearch(layers, layer) >= 0;
    }

    private <T> List<T> complete(TreeMap<Integer, T> recorded, int ran, String what) {
        if (recorded.size() != layers.length) {
            throw new IllegalStateException("layer " + layers[layers.length - 1] + " was asked for, but the forward pass reported "
                    + ran + " " + what + " layer" + (ran == 1 ? "" : "s") + (ran == 0 ? " (its family does not report them)" : "")
                    + "; layers count from 0");
        }
        return new ArrayList<>(recorded.values());
    }

    /** {@code (B, heads, N, d)} to {@code (B, N, heads * d)}. */
    private static NDArray merged(NDArray perHead) {
        Shape s = perHead.getShape();
        return perHead.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3));
    }

    @Override
    public void close() {
        OPEN.set(outer);
    }
}

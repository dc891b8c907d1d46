package dev.creamery.asvit;

import ai.djl.ndarray.types.Shape;
import dev.creamery.api.InvalidArchitectureException;
import dev.creamery.api.Task;

/**
 * Every size of an As-ViT network for one task, derived once from the topology: the padded input,
 * the token grid of each stage, windows, head widths and paddings. The official builder assumes
 * 224x224 inputs (a 56x56 token grid after the stride-4 embedding, halved three times); other inputs
 * are zero-padded, centred, to the smallest square whose side is a multiple of 32, so that every
 * stage keeps an even grid and every split tiles it, exactly as at 224 (which needs no padding).
 */
final class Geometry {
    /** Stride of the patch embedding, as search/reinforce.py and grow.py build it. */
    static final int STRIDE = 4;
    /** The side of the padded input is a multiple of this: the stride times 2^3 patch mergings. */
    static final int SIDE_MULTIPLE = STRIDE * 8;

    final Topology topology;
    final Task task;
    final int side;
    private final int centreTop;
    private final int centreBottom;
    private final int centreLeft;
    private final int centreRight;
    private final int embedPadBefore;
    private final int embedPadAfter;
    final int[] resolution = new int[Topology.STAGES];
    final int[] window = new int[Topology.STAGES];
    final int[] dim = new int[Topology.STAGES];
    final int[] heads;
    final int[] headDim = new int[Topology.STAGES];
    final int[] mlpHidden = new int[Topology.STAGES];

    Geometry(Topology topology, Task task) {
        this.topology = topology;
        this.task = task;
        int largest = Math.max(task.height(), task.width());
        side = (largest + SIDE_MULTIPLE - 1) / SIDE_MULTIPLE * SIDE_MULTIPLE;
        int k = topology.kernels()[0];
        if (k < STRIDE) {
            throw new InvalidArchitectureException("kernel1", "kernel1 must be at least the embedding stride " + STRIDE
                    + ", got " + k);
        }
        int extraH = side - task.height();
        int extraW = side - task.width();
        centreTop = extraH / 2;
        centreBottom = extraH - extraH / 2;
        centreLeft = extraW / 2;
        centreRight = extraW - extraW / 2;
        // The official PatchEmbed pads (K-4)//2 before and (K-3)//2 after.
        embedPadBefore = (k - STRIDE) / 2;
        embedPadAfter = (k - STRIDE + 1) / 2;
        heads = topology.stageHeads();
        int grid = side / STRIDE;
        for (int s = 0; s < Topology.STAGES; s++) {
            resolution[s] = grid >> s;
            dim[s] = topology.stageDim(s);
            int split = topology.splits()[s];
            int w = resolution[s] / split;
            if (w < 1) {
                throw new InvalidArchitectureException(Topology.key("split", s), "split" + (s + 1) + " = " + split
                        + " is larger than the " + resolution[s] + "x" + resolution[s] + " token grid of stage " + (s + 1));
            }
            // TransformerBlock: a window at least as large as the grid becomes the whole grid.
            window[s] = Math.min(w, resolution[s]);
            if (resolution[s] % window[s] != 0) {
                throw new InvalidArchitectureException(Topology.key("split", s), "split" + (s + 1) + " = " + split
                        + " gives " + window[s] + "x" + window[s] + " windows that do not tile the " + resolution[s] + "x"
                        + resolution[s] + " token grid of stage " + (s + 1));
            }
            headDim[s] = dim[s] / heads[s];
            if (headDim[s] < 1) {
                throw new InvalidArchitectureException(Topology.HEADS, "heads = " + topology.heads() + " gives " + heads[s]
                        + " heads in stage " + (s + 1) + " but it is only " + dim[s] + " wide; need 8 * hidden_size >= heads");
            }
            mlpHidden[s] = dim[s] * topology.expansions()[s];
            if (s > 0 && topology.kernels()[s] < 2) {
                throw new InvalidArchitectureException(Topology.key("kernel", s), "kernel" + (s + 1)
                        + " must be at least the merging stride 2, got " + topology.kernels()[s]);
            }
        }
    }

    /**
     * The zero padding before the patch embedding: centring, plus the official kernel padding, which
     * a dilated embedding ({@link ProgressiveTokenization}) scales with its dilation so that the grid
     * shrinks by exactly the factor.
     *
     * @param factor the tokenisation factor (1: full tokens)
     * @return (left, right, top, bottom), the order of {@code NDArray.pad} for the last two axes
     */
    Shape embedPadding(int factor) {
        return new Shape(centreLeft + factor * embedPadBefore, centreRight + factor * embedPadAfter,
                centreTop + factor * embedPadBefore, centreBottom + factor * embedPadAfter);
    }

    /**
     * @param factor a tokenisation factor
     * @throws IllegalArgumentException unless the padded side divides by {@code 32 * factor}: the
     *     network then runs as it would on an input {@code factor} times smaller, every grid divides by
     *     the factor, and so does every window (the space's splits are at most 8, 4, 2, 1 per stage)
     */
    void checkFactor(int factor) {
        if (side % (SIDE_MULTIPLE * factor) != 0) {
            throw new IllegalArgumentException("progressive tokenization with factor " + factor + " needs the network's input side ("
                    + side + " after padding " + task.height() + "x" + task.width() + ") to be a multiple of "
                    + SIDE_MULTIPLE * factor + ", so that its last stage keeps a whole token grid; resize the data "
                    + "(e.g. data.size = " + SIDE_MULTIPLE * factor + ") or use a smaller factor");
        }
    }

    int merged(int stage) {
        return Math.min(1024, 2 * dim[stage]);
    }

    int features() {
        return dim[Topology.STAGES - 1];
    }
}

package dev.creamery.autoformer;

import dev.creamery.api.Architecture;
import dev.creamery.api.InvalidArchitectureException;

/**
 * One AutoFormer member as the network reads it: the official {@code set_sample_config} with one
 * embedding width for all layers, as every official search space has.
 *
 * @param embedDim the embedding width
 * @param depth the number of layers
 * @param mlpRatios the MLP ratio of each layer
 * @param numHeads the heads of each layer
 */
record Subnet(int embedDim, int depth, double[] mlpRatios, int[] numHeads) {
    static final String EMBED_DIM = "embed_dim";
    static final String DEPTH = "depth";
    static final String MLP_RATIO = "mlp_ratio";
    static final String NUM_HEADS = "num_heads";

    /** Checks the per-layer lists have one entry per layer and every size is positive. */
    Subnet {
        if (mlpRatios.length != depth || numHeads.length != depth) {
            throw new InvalidArchitectureException(DEPTH, "depth " + depth + " needs " + depth + " mlp_ratio and num_heads entries, got "
                    + mlpRatios.length + " and " + numHeads.length);
        }
        if (embedDim < 1 || depth < 1) {
            throw new InvalidArchitectureException(embedDim < 1 ? EMBED_DIM : DEPTH, "embed_dim and depth must be positive");
        }
        for (int i = 0; i < depth; i++) {
            if (!(mlpRatios[i] > 0) || numHeads[i] < 1) {
                throw new InvalidArchitectureException(mlpRatios[i] > 0 ? NUM_HEADS : MLP_RATIO, "layer " + i
                        + " needs a positive mlp_ratio and num_heads");
            }
        }
    }

    /**
     * @param architecture holds {@code embed_dim}, {@code depth}, {@code mlp_ratio} and {@code num_heads}
     * @return the member
     * @throws InvalidArchitectureException naming the dimension that is missing or malformed
     */
    static Subnet of(Architecture architecture) {
        for (String name : new String[] {DEPTH, MLP_RATIO, NUM_HEADS, EMBED_DIM}) {
            if (!architecture.has(name)) {
                throw new InvalidArchitectureException(name, "an AutoFormer architecture needs '" + name + "'; got "
                        + architecture.canonical());
            }
        }
        try {
            return new Subnet(architecture.getInt(EMBED_DIM), architecture.getInt(DEPTH), architecture.getDoubleList(MLP_RATIO),
                    architecture.getIntList(NUM_HEADS));
        } catch (IllegalArgumentException e) {
            if (e instanceof InvalidArchitectureException) {
                throw e;
            }
            throw new InvalidArchitectureException(DEPTH, "malformed AutoFormer architecture " + architecture.canonical() + ": "
                    + e.getMessage());
        }
    }

    /** @return the MLP hidden width of each layer */
    int[] hidden() {
        int[] hidden = new int[depth];
        for (int i = 0; i < depth; i++) {
            hidden[i] = SuperBlock.hidden(embedDim, mlpRatios[i]);
        }
        return hidden;
    }
}

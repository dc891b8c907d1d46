package dev.creamery.autoformer;

import dev.creamery.api.nn.RpeConfig;

/**
 * What every member of an AutoFormer space shares: the patch size, the head width and the options
 * of the official {@code Vision_TransformerSuper} (relative positions in attention, and global
 * average pooling of the patch tokens instead of the class token, the {@code --gp} flag).
 *
 * @param patchSize the side of a patch
 * @param headDim the width of every head (the official code fixes 64)
 * @param relativePosition whether attention adds learned relative position embeddings
 * @param maxRelativePosition the largest offset the relative embeddings tell apart
 * @param globalPool whether the head reads the mean of the patch tokens (else the class token)
 * @param rpe iRPE in every attention, after AutoFormer's own relative positions if both are on, or null
 */
record Structure(int patchSize, int headDim, boolean relativePosition, int maxRelativePosition, boolean globalPool, RpeConfig rpe) {
    /** Checks the sizes are positive and iRPE's tables fit every member. */
    Structure {
        if (patchSize < 1 || headDim < 1 || maxRelativePosition < 1) {
            throw new IllegalArgumentException("patch-size, head-dim and max-relative-position must be positive");
        }
        if (rpe != null && !rpe.sharedHead()) {
            // A table per head would have to follow each member's head count; one table for all heads is every member's whole.
            throw new IllegalArgumentException("rpe.shared-head must be true in an AutoFormer space: its members differ in heads");
        }
    }
}

package dev.creamery.autoformer;

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
 */
record Structure(int patchSize, int headDim, boolean relativePosition, int maxRelativePosition, boolean globalPool) {
    /** Checks the sizes are positive. */
    Structure {
        if (patchSize < 1 || headDim < 1 || maxRelativePosition < 1) {
            throw new IllegalArgumentException("patch-size, head-dim and max-relative-position must be positive");
        }
    }
}

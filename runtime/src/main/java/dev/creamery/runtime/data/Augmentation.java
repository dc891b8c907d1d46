package dev.creamery.runtime.data;

/**
 * Training-time augmentation, applied to the training split only.
 *
 * @param cropPadding pad by this many (zero) pixels on every side, then crop back to the original
 *     size at a random offset; 0 turns random cropping off
 * @param horizontalFlip mirror left-right with probability 1/2
 */
public record Augmentation(int cropPadding, boolean horizontalFlip) {
    /** Checks the padding is not negative. */
    public Augmentation {
        if (cropPadding < 0) {
            throw new IllegalArgumentException("augment.crop-padding must be >= 0, got " + cropPadding);
        }
    }

    /** @return whether this augmentation changes anything */
    public boolean isIdentity() {
        return cropPadding == 0 && !horizontalFlip;
    }
}

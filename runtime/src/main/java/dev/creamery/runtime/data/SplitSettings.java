package dev.creamery.runtime.data;

/**
 * How a data set's training images are divided and limited.
 *
 * @param validationSize images moved from the training set to the validation split
 * @param trainSize use at most this many training images (0: all that remain)
 * @param testSize use at most this many test images (0: all)
 * @param seed seed of the permutation that picks the validation images
 */
public record SplitSettings(int validationSize, int trainSize, int testSize, long seed) {
    /** Checks sizes are not negative. */
    public SplitSettings {
        if (validationSize < 0 || trainSize < 0 || testSize < 0) {
            throw new IllegalArgumentException("split sizes must be >= 0");
        }
    }
}

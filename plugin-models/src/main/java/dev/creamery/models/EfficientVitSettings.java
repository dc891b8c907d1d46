package dev.creamery.models;

/**
 * The settings of the {@code efficientvit} family; defaults, with comments, are in the plugin's
 * {@code reference.conf} at {@code creamery.family.efficientvit}.
 *
 * @param zeroInitResidual whether the batch norm that closes a residual branch starts at scale 0, as in
 *     the official code (each block then starts as the identity, and the weights inside such a branch get
 *     their first gradient only after that scale has moved)
 * @param minInputSize the smallest image side the network runs at: smaller images, and sides the
 *     official architecture cannot take, are upsampled bilinearly to the next side it can take
 */
public record EfficientVitSettings(boolean zeroInitResidual, int minInputSize) {
    /** Checks the minimum size is positive. */
    public EfficientVitSettings {
        InputSize.checkMinimum(minInputSize);
    }
}

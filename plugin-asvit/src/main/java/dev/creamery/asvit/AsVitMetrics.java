package dev.creamery.asvit;

/** The metrics the As-ViT evaluators report. */
public final class AsVitMetrics {
    /** Condition number of the neural tangent kernel at initialisation (lower is better). */
    public static final String NTK_CONDITION = "ntk_condition";
    /** Length distortion of a circle through input space at initialisation (higher is better). */
    public static final String LENGTH_DISTORTION = "length_distortion";

    private AsVitMetrics() {}
}

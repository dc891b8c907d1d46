package dev.creamery.api;

/** The three parts of a data set: training, validation (what a search scores on) and test (reported once, at the end). */
public enum Split {
    /** Examples the models learn from. */
    TRAIN,
    /** Held out from training; searches rank architectures on it. */
    VALIDATION,
    /** Held out from everything; only the final model is scored on it. */
    TEST;

    /** @return the lower-case name used in configs and reports */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

package dev.creamery.api;

import java.util.List;

/** A checkpoint does not fit a model: lists every missing, unexpected and mis-shaped tensor. */
public class CheckpointMismatchException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> mismatches;

    /**
     * @param source the checkpoint (file name or description)
     * @param mismatches one line per problem
     */
    public CheckpointMismatchException(String source, List<String> mismatches) {
        super(source + " does not match the model (" + mismatches.size() + " problem" + (mismatches.size() == 1 ? "" : "s")
                + "): " + String.join("; ", mismatches.subList(0, Math.min(12, mismatches.size())))
                + (mismatches.size() > 12 ? "; ..." : ""));
        this.mismatches = List.copyOf(mismatches);
    }

    /** @return one line per problem */
    public List<String> mismatches() {
        return mismatches;
    }
}

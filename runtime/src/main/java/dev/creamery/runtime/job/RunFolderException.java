package dev.creamery.runtime.job;

/** A run folder cannot be used as asked (exists, missing, locked, not writable). */
public class RunFolderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and what to do */
    public RunFolderException(String message) {
        super(message);
    }
}

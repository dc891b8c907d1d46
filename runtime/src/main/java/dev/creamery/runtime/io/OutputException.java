package dev.creamery.runtime.io;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * An output could not be written (disk full, file size limit, folder not writable): a failure at
 * run time, reported as {@code file: what is wrong; what to do}. Whatever was written before stays
 * whole, so the run can be continued with {@code --resume} once the cause is fixed.
 */
public class OutputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file the file that could not be written
     * @param what what was being written, e.g. {@code "cannot append trial 7"}
     * @param cause the error
     */
    public OutputException(Path file, String what, IOException cause) {
        this(file, what, "free space or make the folder writable, then continue with --resume", cause);
    }

    /**
     * @param file the file that could not be written or read back
     * @param what what was being done, e.g. {@code "cannot read the checkpoint"}
     * @param remedy what to do
     * @param cause the error
     */
    public OutputException(Path file, String what, String remedy, IOException cause) {
        super(file + ": " + what + " (" + reason(cause) + "); " + remedy, cause);
        this.file = file;
    }

    /** @return the file */
    public Path file() {
        return file;
    }

    /**
     * @param e an I/O error
     * @return its reason in a few words, e.g. {@code No space left on device}
     */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}

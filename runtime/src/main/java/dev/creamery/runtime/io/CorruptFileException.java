package dev.creamery.runtime.io;

import dev.creamery.api.DataException;
import dev.creamery.api.Quoted;
import java.nio.file.Path;

/**
 * A file is not what it should be (damaged, cut short, another format): an input error, reported
 * as {@code file: what is wrong; what to do}. Every reader of the runtime's file formats
 * (safetensors, {@code .npy}, IDX, CIFAR-10, the trial journal) throws this and nothing else for a
 * bad file, and checks sizes against the file before it allocates.
 */
public class CorruptFileException extends DataException {
    private static final long serialVersionUID = 1L;

    private static final int MAX_PROBLEM = 400;

    private final transient Path file;
    private final String problem;

    /**
     * @param file the file
     * @param problem what is wrong with it
     * @param remedy what to do about it
     */
    public CorruptFileException(Path file, String problem, String remedy) {
        this(file, problem, remedy, null);
    }

    /**
     * @param file the file
     * @param problem what is wrong with it
     * @param remedy what to do about it
     * @param cause the underlying error
     */
    public CorruptFileException(Path file, String problem, String remedy, Throwable cause) {
        super(file + ": " + printable(problem) + "; " + remedy, cause);
        this.file = file;
        this.problem = printable(problem);
    }

    static String printable(String text) {
        return Quoted.oneLine(text, MAX_PROBLEM);
    }

    /** @return the file */
    public Path file() {
        return file;
    }

    /** @return what is wrong with the file, without the file's name or the remedy */
    public String problem() {
        return problem;
    }
}

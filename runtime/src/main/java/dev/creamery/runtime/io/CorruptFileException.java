package dev.creamery.runtime.io;

import dev.creamery.api.DataException;
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

    /**
     * What a problem quotes from the file may hold anything: control characters are escaped and
     * the text is cut short, so the message stays one line of sensible length.
     */
    static String printable(String text) {
        StringBuilder sb = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c == '\n') {
                sb.append("\\n");
            } else if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.length() <= MAX_PROBLEM ? sb.toString() : sb.substring(0, MAX_PROBLEM) + "...";
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

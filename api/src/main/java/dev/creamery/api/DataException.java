package dev.creamery.api;

/** Data cannot be read: the message names the file or folder and what to do about it. */
public class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and how to fix it */
    public DataException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong and how to fix it
     * @param cause the underlying error
     */
    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.creamery.runtime.cli;

/** The user asked for something that cannot be done as asked (a missing file, an output that would be overwritten). */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}

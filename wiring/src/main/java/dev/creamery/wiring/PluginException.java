package dev.creamery.wiring;

/** The plugins on the class path cannot be wired (two claim one name, one cannot load, one lacks its defaults). */
public class PluginException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the jars involved */
    public PluginException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the jars involved
     * @param cause the underlying error
     */
    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}

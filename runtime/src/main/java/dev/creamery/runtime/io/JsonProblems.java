package dev.creamery.runtime.io;

/** Gson's error messages in a user's terms. */
public final class JsonProblems {
    private static final String LENIENT_ADVICE = "Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON";
    private static final String WRAPPED = "com.google.gson.stream.MalformedJsonException: ";

    private JsonProblems() {}

    /**
     * @param e an error of Gson's
     * @return its message on one line, without advice about Gson's settings or a link to its guide
     */
    public static String describe(Exception e) {
        String message = String.valueOf(e.getMessage());
        int see = message.indexOf("\nSee ");
        message = see < 0 ? message : message.substring(0, see);
        if (message.startsWith(WRAPPED)) {
            message = message.substring(WRAPPED.length());
        }
        return message.replace(LENIENT_ADVICE, "malformed JSON").replace('\n', ' ');
    }
}

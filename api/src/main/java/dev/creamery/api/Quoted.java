package dev.creamery.api;

import java.util.Locale;

/**
 * Text quoted in an error message — from a file, a job, a user's architecture — may hold anything:
 * control characters are escaped and the text is cut short, so that the message stays one line of
 * sensible length (the command line prints one sentence per error).
 */
public final class Quoted {
    private Quoted() {}

    /**
     * @param text the text to quote
     * @param limit the most characters to keep
     * @return the text on one line: a newline as {@code \n}, other control and line-separator
     *     characters as {@code \\uXXXX}, and {@code ...} where it was cut
     */
    public static String oneLine(String text, int limit) {
        StringBuilder sb = new StringBuilder();
        text.codePoints().limit(limit).forEach(c -> {
            if (c == '\n') {
                sb.append("\\n");
            } else if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return text.codePointCount(0, text.length()) > limit ? sb + "..." : sb.toString();
    }
}

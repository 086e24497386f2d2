package org.letterbox.net.login;

import java.util.Locale;

/**
 * A client-supplied value made safe for one log line: it cannot end the line, fake a field or hide in white space.
 * Spaces, control characters, DEL, backslash and anything outside printable ASCII become {@code \xNN} (or
 * {@code \\u{NNNN}} above one byte); the result is capped at {@value #MAX_CHARACTERS} characters, with a trailing
 * {@code ...} when cut. {@code null} becomes {@code -}.
 */
public final class LogValue {

    /** Longest escaped value written to a log line. */
    public static final int MAX_CHARACTERS = 255;

    private LogValue() {
    }

    public static String escape(String value) {
        if (value == null) {
            return "-";
        }
        if (value.isEmpty()) {
            return "\"\"";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_CHARACTERS) + 8);
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            String piece;
            if (cp > ' ' && cp < 0x7f && cp != '\\' && cp != '"') {
                piece = String.valueOf((char) cp);
            } else if (cp <= 0xff) {
                piece = String.format(Locale.ROOT, "\\x%02x", cp);
            } else {
                piece = String.format(Locale.ROOT, "\\u{%04x}", cp);
            }
            if (out.length() + piece.length() > MAX_CHARACTERS) {
                return out.append("...").toString();
            }
            out.append(piece);
        }
        return out.toString();
    }

    /**
     * A longer text (a server's reply, an error) for the end of a log line: in double quotes, spaces kept, quotes,
     * backslashes, control characters and non-ASCII escaped as {@link #escape} does, at most 512 characters.
     */
    public static String quoted(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), 512) + 8).append('"');
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            if (out.length() > 512) {
                out.append("...");
                break;
            }
            if (cp >= ' ' && cp < 0x7f && cp != '\\' && cp != '"') {
                out.append((char) cp);
            } else if (cp <= 0xff) {
                out.append(String.format(Locale.ROOT, "\\x%02x", cp));
            } else {
                out.append(String.format(Locale.ROOT, "\\u{%04x}", cp));
            }
        }
        return out.append('"').toString();
    }
}

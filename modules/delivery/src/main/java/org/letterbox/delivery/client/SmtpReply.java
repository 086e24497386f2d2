package org.letterbox.delivery.client;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One reply of an SMTP server: its code and its lines' texts (without the code and separator).
 *
 * @param code the three-digit code
 * @param lines the text of each line, in order
 */
public record SmtpReply(int code, List<String> lines) {

    private static final Pattern ENHANCED = Pattern.compile("^([245]\\.\\d{1,3}\\.\\d{1,3})(?:\\s|$)");

    public SmtpReply {
        lines = List.copyOf(lines);
    }

    /** A reply we make up ourselves for what happened before or instead of a server's reply. */
    public static SmtpReply local(int code, String text) {
        return new SmtpReply(code, List.of(text));
    }

    public boolean positive() {
        return code >= 200 && code < 400;
    }

    /** A 4xx reply: try again later. */
    public boolean transientFailure() {
        return code >= 400 && code < 500;
    }

    /** A 5xx reply: never try again. */
    public boolean permanentFailure() {
        return code >= 500;
    }

    /** The enhanced status code of the first line (RFC 3463), or a generic one for the code's class. */
    public String enhancedCode() {
        if (!lines.isEmpty()) {
            Matcher matcher = ENHANCED.matcher(lines.get(0));
            if (matcher.find() && matcher.group(1).charAt(0) == Character.forDigit(code / 100, 10)) {
                return matcher.group(1);
            }
        }
        return code / 100 + ".0.0";
    }

    /** The text of every line joined with spaces, as a log line or a bounce shows it. */
    public String text() {
        return String.join(" ", lines);
    }

    @Override
    public String toString() {
        return code + " " + text();
    }
}

package org.letterbox.delivery.client;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Takes away the {@code Return-Path} header our own SMTP server put at the top of a message when it took it in: a
 * relay must not send one on (RFC 5321 §4.4); the final receiver writes its own from the envelope.
 */
final class ReturnPathStripper {

    private static final int MAX_HEADER_LINE = 4096;

    private ReturnPathStripper() {
    }

    /** {@code in} without its leading {@code Return-Path} headers (and their folded lines). */
    static InputStream strip(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 8192);
        boolean skipping = false;
        while (true) {
            buffered.mark(MAX_HEADER_LINE + 2);
            String line = readLine(buffered);
            if (line == null) {
                buffered.reset();
                return buffered;
            }
            boolean continuation = !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
            if (skipping && continuation) {
                continue;
            }
            if (line.toLowerCase(Locale.ROOT).startsWith("return-path:")) {
                skipping = true;
                continue;
            }
            buffered.reset();
            return buffered;
        }
    }

    /** One line without its ending, or null when none fits in the mark. */
    private static String readLine(BufferedInputStream in) throws IOException {
        byte[] bytes = new byte[MAX_HEADER_LINE];
        int length = 0;
        while (length < MAX_HEADER_LINE) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                int end = length > 0 && bytes[length - 1] == '\r' ? length - 1 : length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            bytes[length++] = (byte) b;
        }
        return null;
    }
}

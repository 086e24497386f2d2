package org.letterbox.delivery.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a message with 8-bit body bytes fit a peer without 8BITMIME (RFC 6152 §3): each MIME leaf whose body holds
 * 8-bit bytes is re-encoded as quoted-printable, inside multiparts and attached messages too. A header with 8-bit
 * bytes, or a base64 body with them, cannot be converted: then there is no result, and the message bounces with a
 * reason that says so.
 */
final class SevenBitConverter {

    private static final Pattern BOUNDARY = Pattern.compile("(?i)(?:^|;)\\s*boundary\\s*=\\s*(?:\"([^\"]*)\"|([^;\\s]+))");
    private static final byte[] CRLF = {'\r', '\n'};

    private SevenBitConverter() {
    }

    /** True when any byte of {@code bytes} has its high bit set. */
    static boolean hasEightBit(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] < 0) {
                return true;
            }
        }
        return false;
    }

    /** The message in 7 bits, or empty when it cannot be converted. */
    static Optional<byte[]> convert(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + message.length / 8);
        return entity(message, 0, message.length, out, 0) ? Optional.of(out.toByteArray()) : Optional.empty();
    }

    private static boolean entity(byte[] bytes, int from, int to, ByteArrayOutputStream out, int depth) {
        if (depth > 20) {
            return false;
        }
        int bodyStart = bodyStart(bytes, from, to);
        int headerEnd = bodyStart;
        if (hasEightBit(bytes, from, headerEnd)) {
            return false;
        }
        if (!hasEightBit(bytes, bodyStart, to)) {
            out.write(bytes, from, to - from);
            return true;
        }
        String headers = new String(bytes, from, headerEnd - from, StandardCharsets.US_ASCII);
        String contentType = headerValue(headers, "content-type").orElse("text/plain").trim();
        String encoding = headerValue(headers, "content-transfer-encoding").orElse("7bit").trim().toLowerCase(Locale.ROOT);
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (mediaType.startsWith("multipart/")) {
            Matcher boundary = BOUNDARY.matcher(contentType);
            if (!boundary.find()) {
                return false;
            }
            out.write(bytes, from, bodyStart - from);
            return multipart(bytes, bodyStart, to, boundary.group(1) != null ? boundary.group(1) : boundary.group(2), out, depth);
        }
        if (mediaType.equals("message/rfc822")) {
            out.write(bytes, from, bodyStart - from);
            return entity(bytes, bodyStart, to, out, depth + 1);
        }
        if (encoding.equals("base64")) {
            return false;
        }
        if (encoding.equals("quoted-printable")) {
            // already quoted-printable, with stray raw bytes: escape those and keep the rest as it is
            out.write(bytes, from, bodyStart - from);
            for (int i = bodyStart; i < to; i++) {
                if (bytes[i] < 0) {
                    writeEscaped(out, bytes[i] & 0xff);
                } else {
                    out.write(bytes[i]);
                }
            }
            return true;
        }
        out.writeBytes(withEncoding(headers, "quoted-printable").getBytes(StandardCharsets.US_ASCII));
        quotedPrintable(bytes, bodyStart, to, out);
        return true;
    }

    /** Where the body starts: after the first empty line, or at the end when there is none. */
    private static int bodyStart(byte[] bytes, int from, int to) {
        int lineStart = from;
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                int length = i - lineStart;
                if (length == 0 || (length == 1 && bytes[lineStart] == '\r')) {
                    return i + 1;
                }
                lineStart = i + 1;
            }
        }
        return to;
    }

    /** The unfolded value of the first header called {@code name}. */
    static Optional<String> headerValue(String headers, String name) {
        String[] lines = headers.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().equalsIgnoreCase(name)) {
                StringBuilder value = new StringBuilder(lines[i].substring(colon + 1));
                while (i + 1 < lines.length && !lines[i + 1].isEmpty()
                    && (lines[i + 1].charAt(0) == ' ' || lines[i + 1].charAt(0) == '\t')) {
                    value.append(' ').append(lines[++i].trim());
                }
                return Optional.of(value.toString());
            }
        }
        return Optional.empty();
    }

    /** The header block with its Content-Transfer-Encoding replaced by (or, when absent, added as) {@code encoding}. */
    private static String withEncoding(String headers, String encoding) {
        String newline = headers.contains("\r\n") ? "\r\n" : "\n";
        String[] lines = headers.split("\r?\n", -1);
        StringBuilder result = new StringBuilder();
        boolean replaced = false;
        boolean skippingFolds = false;
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            if (skippingFolds && !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                continue;
            }
            skippingFolds = false;
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-transfer-encoding")) {
                if (!replaced) {
                    kept.add("Content-Transfer-Encoding: " + encoding);
                    replaced = true;
                }
                skippingFolds = true;
                continue;
            }
            kept.add(line);
        }
        // the block ends with its empty line (two empty strings after the split: the last header's end, the blank)
        int insertAt = kept.size();
        while (insertAt > 0 && kept.get(insertAt - 1).isEmpty()) {
            insertAt--;
        }
        if (!replaced) {
            kept.add(insertAt, "Content-Transfer-Encoding: " + encoding);
        }
        for (int i = 0; i < kept.size(); i++) {
            result.append(kept.get(i));
            if (i < kept.size() - 1) {
                result.append(newline);
            }
        }
        return result.toString();
    }

    private static boolean multipart(byte[] bytes, int from, int to, String boundary, ByteArrayOutputStream out, int depth) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        List<int[]> lines = new ArrayList<>();
        int lineStart = from;
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                lines.add(new int[] {lineStart, i + 1});
                lineStart = i + 1;
            }
        }
        if (lineStart < to) {
            lines.add(new int[] {lineStart, to});
        }
        int partStart = -1;
        boolean closed = false;
        for (int[] line : lines) {
            if (!closed && startsWith(bytes, line[0], line[1], delimiter)) {
                boolean closing = startsWith(bytes, line[0] + delimiter.length, line[1], new byte[] {'-', '-'});
                if (partStart >= 0) {
                    // the CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1)
                    int partEnd = line[0];
                    int crlf = partEnd >= 2 && bytes[partEnd - 2] == '\r' ? 2 : partEnd >= 1 && bytes[partEnd - 1] == '\n' ? 1 : 0;
                    partEnd = Math.max(partStart, partEnd - crlf);
                    if (!entity(bytes, partStart, partEnd, out, depth + 1)) {
                        return false;
                    }
                    out.write(bytes, partEnd, line[0] - partEnd);
                }
                out.write(bytes, line[0], line[1] - line[0]);
                partStart = line[1];
                closed = closing;
                continue;
            }
            if (partStart < 0 || closed) {
                // preamble or epilogue: nobody reads it, so 8-bit bytes in it just become '?'
                for (int i = line[0]; i < line[1]; i++) {
                    out.write(bytes[i] < 0 ? '?' : bytes[i]);
                }
            }
        }
        if (partStart >= 0 && !closed) {
            return entity(bytes, partStart, to, out, depth + 1);
        }
        return true;
    }

    private static boolean startsWith(byte[] bytes, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** RFC 2045 §6.7 quoted-printable of a text body: hard line breaks kept as CRLF, lines at most 76 characters. */
    static void quotedPrintable(byte[] bytes, int from, int to, ByteArrayOutputStream out) {
        int lineStart = from;
        for (int i = from; i <= to; i++) {
            boolean end = i == to;
            if (end || bytes[i] == '\n') {
                int lineEnd = i;
                if (!end && lineEnd > lineStart && bytes[lineEnd - 1] == '\r') {
                    lineEnd--;
                }
                encodeLine(bytes, lineStart, lineEnd, out);
                if (!end) {
                    out.writeBytes(CRLF);
                }
                lineStart = i + 1;
            }
        }
    }

    private static void encodeLine(byte[] bytes, int from, int to, ByteArrayOutputStream out) {
        int column = 0;
        for (int i = from; i < to; i++) {
            int b = bytes[i] & 0xff;
            boolean last = i == to - 1;
            boolean literal = (b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !last);
            int width = literal ? 1 : 3;
            if (column + width > 75) {
                out.write('=');
                out.writeBytes(CRLF);
                column = 0;
            }
            if (literal) {
                out.write(b);
            } else {
                writeEscaped(out, b);
            }
            column += width;
        }
    }

    private static void writeEscaped(ByteArrayOutputStream out, int b) {
        out.write('=');
        out.write(Character.toUpperCase(Character.forDigit(b >> 4, 16)));
        out.write(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
    }
}

package org.letterbox.mailauth.dkim;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/** The two canonicalizations of RFC 6376 §3.4, for headers and for bodies. */
public enum Canonicalization {
    SIMPLE,
    RELAXED;

    public static Canonicalization parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "simple" -> SIMPLE;
            case "relaxed" -> RELAXED;
            default -> throw new IllegalArgumentException("unknown canonicalization " + text);
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * One header field as it is hashed. {@code raw} is the field as it stands in the message, its name, colon, value
     * and folded lines, without the final CRLF.
     */
    public String header(String raw) {
        if (this == SIMPLE) {
            return raw + "\r\n";
        }
        int colon = raw.indexOf(':');
        String name = raw.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = raw.substring(colon + 1).replace("\r\n", "").replace("\n", "");
        value = value.replaceAll("[ \\t]+", " ").strip();
        return name + ":" + value + "\r\n";
    }

    /** A stream that canonicalizes the body written to it into {@code digest}; {@link BodyHasher#finish} ends it. */
    public BodyHasher body(MessageDigest digest, long limit) {
        return new BodyHasher(this, digest, limit);
    }

    /**
     * Body canonicalization as a stream: lines are taken as they come, white space is reduced (relaxed), and empty
     * lines are held back until a non-empty one shows they are not at the end (RFC 6376 §3.4.3 and §3.4.4).
     */
    public static final class BodyHasher extends OutputStream {
        private static final byte[] CRLF = {'\r', '\n'};
        private final Canonicalization mode;
        private final MessageDigest digest;
        private final long limit;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(256);
        private long emptyLines;
        private long hashed;
        private boolean anyLine;
        private boolean pendingCr;

        BodyHasher(Canonicalization mode, MessageDigest digest, long limit) {
            this.mode = mode;
            this.digest = digest;
            this.limit = limit;
        }

        @Override
        public void write(int b) {
            if (pendingCr) {
                pendingCr = false;
                if (b == '\n') {
                    endLine();
                    return;
                }
                line.write('\r');
            }
            if (b == '\r') {
                pendingCr = true;
                return;
            }
            if (b == '\n') {
                // a bare LF ends a line too (a message stored with LF line ends)
                endLine();
                return;
            }
            line.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                write(bytes[i]);
            }
        }

        private void endLine() {
            byte[] content = line.toByteArray();
            line.reset();
            if (mode == RELAXED) {
                content = relaxed(content);
            }
            if (content.length == 0) {
                emptyLines++;
                return;
            }
            for (; emptyLines > 0; emptyLines--) {
                feed(CRLF);
            }
            feed(content);
            feed(CRLF);
            anyLine = true;
        }

        private static byte[] relaxed(byte[] content) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(content.length);
            boolean space = false;
            for (byte b : content) {
                if (b == ' ' || b == '\t') {
                    space = true;
                    continue;
                }
                if (space) {
                    out.write(' ');
                    space = false;
                }
                out.write(b);
            }
            return out.toByteArray();
        }

        private void feed(byte[] bytes) {
            long room = limit - hashed;
            if (room <= 0) {
                return;
            }
            int length = (int) Math.min(room, bytes.length);
            digest.update(bytes, 0, length);
            hashed += length;
        }

        /** Ends the body: a last line without its CRLF counts as a line; the digest of what was hashed. */
        public byte[] finish() {
            if (pendingCr) {
                pendingCr = false;
                line.write('\r');
            }
            if (line.size() > 0) {
                endLine();
            }
            if (mode == SIMPLE && !anyLine) {
                feed(CRLF);
            }
            return digest.digest();
        }

        /** Bytes hashed (what an {@code l=} tag would say). */
        public long hashed() {
            return hashed;
        }

        @Override
        public void close() throws IOException {
        }
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

package org.letterbox.delivery.client;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes message bytes as SMTP DATA wants them (RFC 5321 §4.5.2): every line ends in CRLF (a bare CR or LF
 * becomes CRLF), a line that starts with a dot gets one more, and {@link #finish()} ends the message with
 * {@code CRLF . CRLF}.
 */
final class DotStuffingOutputStream extends FilterOutputStream {

    private boolean atLineStart = true;
    private boolean pendingCr;
    private final byte[] buffer = new byte[16 * 1024];
    private int used;

    DotStuffingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        if (pendingCr) {
            pendingCr = false;
            put('\r');
            put('\n');
            atLineStart = true;
            if (b == '\n') {
                return;
            }
        }
        if (b == '\r') {
            pendingCr = true;
            return;
        }
        if (b == '\n') {
            put('\r');
            put('\n');
            atLineStart = true;
            return;
        }
        if (atLineStart && b == '.') {
            put('.');
        }
        put(b);
        atLineStart = false;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i] & 0xff);
        }
    }

    private void put(int b) throws IOException {
        if (used == buffer.length) {
            out.write(buffer, 0, used);
            used = 0;
        }
        buffer[used++] = (byte) b;
    }

    /** Ends the last line if it is open and writes the terminating dot line. */
    void finish() throws IOException {
        if (pendingCr) {
            pendingCr = false;
            put('\r');
            put('\n');
            atLineStart = true;
        }
        if (!atLineStart) {
            put('\r');
            put('\n');
        }
        put('.');
        put('\r');
        put('\n');
        out.write(buffer, 0, used);
        used = 0;
        out.flush();
    }
}

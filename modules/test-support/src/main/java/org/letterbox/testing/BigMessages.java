package org.letterbox.testing;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/** For tests about large messages and the heap they cost: a message made as it is read, and the heap in use. */
public final class BigMessages {

    private BigMessages() {
    }

    /** A message of exactly {@code size} bytes: a short header, then lines of 76 characters; never whole in memory. */
    public static InputStream generated(long size) {
        return generated(size, "x".repeat(76));
    }

    /** The same with every body line {@code text} (a line starting with "." tests POP3's dot-stuffing). */
    public static InputStream generated(long size, String text) {
        byte[] header = "From: bob@example.test\r\nSubject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] line = (text + "\r\n").getBytes(StandardCharsets.US_ASCII);
        return new java.io.BufferedInputStream(new InputStream() {
            long at;

            @Override
            public int read() {
                if (at >= size) {
                    return -1;
                }
                long i = at++;
                return i < header.length ? header[(int) i] : line[(int) ((i - header.length) % line.length)];
            }
        }, 64 * 1024);
    }

    /** The heap still in use after collections: the least of three readings. */
    public static long retainedHeap() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    /** One CRLF line from a raw socket stream, read byte by byte so nothing after it is consumed. */
    public static String line(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            if (b != '\r') {
                text.append((char) b);
            }
        }
        return text.toString();
    }
}

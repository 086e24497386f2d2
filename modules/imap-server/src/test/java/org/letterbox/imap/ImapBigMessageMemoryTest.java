package org.letterbox.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * FETCH BODY[] streams from the store: eight sessions in the middle of fetching a 50 MB message hold a few buffers
 * each in the server's heap, not the message.
 */
class ImapBigMessageMemoryTest {

    private static final int MB = 1024 * 1024;

    static InputStream generated(long size) {
        byte[] header = "From: bob@example.test\r\nSubject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] line = ("x".repeat(76) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        return new InputStream() {
            long at;

            @Override
            public int read() {
                if (at >= size) {
                    return -1;
                }
                long i = at++;
                return i < header.length ? header[(int) i] : line[(int) ((i - header.length) % line.length)];
            }
        };
    }

    private static long retainedHeap() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    private static String line(InputStream in) throws java.io.IOException {
        StringBuilder text = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            if (b != '\r') {
                text.append((char) b);
            }
        }
        return text.toString();
    }

    @Test
    void eightSessionsPartWayThroughFetchingAFiftyMegabyteMessageHoldLittleHeap() throws Exception {
        long size = 50L * MB;
        try (ImapFixture fixture = new ImapFixture()) {
            fixture.store.delivery().deliver("", List.of("alice@example.test"), List.of(),
                () -> new java.io.BufferedInputStream(generated(size), 64 * 1024), size);
            int port = fixture.start();
            long before = retainedHeap();
            List<Socket> fetches = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket socket = new Socket("127.0.0.1", port);
                    socket.setSoTimeout(30_000);
                    socket.setReceiveBufferSize(64 * 1024);
                    fetches.add(socket);
                    InputStream in = socket.getInputStream();
                    var out = socket.getOutputStream();
                    assertThat(line(in)).startsWith("* OK");
                    out.write("a LOGIN alice@example.test alice-pw\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(line(in)).isEqualTo("a OK LOGIN completed.");
                    out.write("b EXAMINE INBOX\r\n".getBytes(StandardCharsets.US_ASCII));
                    while (!line(in).startsWith("b ")) {
                        // the EXAMINE replies
                    }
                    out.write("c UID FETCH 1 (BODY.PEEK[])\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(line(in)).isEqualTo("* 1 FETCH (UID 1 BODY[] {" + size + "}");
                    assertThat(line(in)).isEqualTo("From: bob@example.test");
                    // then this session stops reading, with nearly all of the message still to come
                }
                Thread.sleep(1_000);
                long during = retainedHeap();
                assertThat((during - before) / MB).as("MB of heap the eight fetches hold").isLessThan(48);
            } finally {
                for (Socket s : fetches) {
                    s.close();
                }
            }
        }
    }
}

package org.letterbox.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.LineClient;

/**
 * RETR streams from the store: eight clients in the middle of downloading a 50 MB message hold a few buffers each
 * in the server's heap, not the message (nor its dot-stuffed copy).
 */
class Pop3BigMessageMemoryTest {

    private static final int MB = 1024 * 1024;
    private Pop3Fixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new Pop3Fixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    /** A message of {@code size} bytes: a header, then lines of 76 characters, generated as it is read. */
    static InputStream generated(long size) {
        byte[] header = "From: bob@example.test\r\nSubject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] line = (".".repeat(1) + "x".repeat(75) + "\r\n").getBytes(StandardCharsets.US_ASCII);
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

    /** Reads one CRLF line from {@code in}, byte by byte. */
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
    void eightClientsPartWayThroughAFiftyMegabyteRetrHoldLittleHeap() throws Exception {
        long size = 50L * MB;
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String user = "reader" + i + "@example.test";
            fixture.store.createUser(user, "pw");
            users.add(user);
        }
        // one delivery, its bytes stored once for all eight
        fixture.store.delivery().deliver("", users, List.of(), () -> new java.io.BufferedInputStream(generated(size), 64 * 1024), size);
        int port = fixture.start();
        long before = retainedHeap();
        List<Socket> downloads = new ArrayList<>();
        try {
            for (String user : users) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.setSoTimeout(30_000);
                socket.setReceiveBufferSize(64 * 1024);
                downloads.add(socket);
                InputStream in = socket.getInputStream();
                var out = socket.getOutputStream();
                assertThat(line(in)).startsWith("+OK");
                out.write(("USER " + user + "\r\nPASS pw\r\n").getBytes(StandardCharsets.US_ASCII));
                assertThat(line(in)).startsWith("+OK");
                assertThat(line(in)).startsWith("+OK");
                out.write("RETR 1\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(line(in)).startsWith("+OK");
                assertThat(line(in)).isEqualTo("From: bob@example.test");
                // then this client stops reading, with nearly all of the message still to come
            }
            Thread.sleep(1_000);
            long during = retainedHeap();
            assertThat((during - before) / MB).as("MB of heap the eight downloads hold").isLessThan(48);
        } finally {
            for (Socket s : downloads) {
                s.close();
            }
        }
    }
}

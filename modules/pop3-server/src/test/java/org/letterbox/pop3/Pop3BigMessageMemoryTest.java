package org.letterbox.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.BigMessages;

/**
 * RETR streams from the store: eight clients in the middle of downloading a 50 MB message hold a few buffers each
 * in the server's heap, not the message (nor its dot-stuffed copy).
 */
@Tag("slow")
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
        fixture.store.delivery().deliver("", users, List.of(), () -> BigMessages.generated(size, "." + "x".repeat(75)), size);
        int port = fixture.start();
        long before = BigMessages.retainedHeap();
        List<Socket> downloads = new ArrayList<>();
        try {
            for (String user : users) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.setSoTimeout(30_000);
                socket.setReceiveBufferSize(64 * 1024);
                downloads.add(socket);
                InputStream in = socket.getInputStream();
                var out = socket.getOutputStream();
                assertThat(BigMessages.line(in)).startsWith("+OK");
                out.write(("USER " + user + "\r\nPASS pw\r\n").getBytes(StandardCharsets.US_ASCII));
                assertThat(BigMessages.line(in)).startsWith("+OK");
                assertThat(BigMessages.line(in)).startsWith("+OK");
                out.write("RETR 1\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(BigMessages.line(in)).startsWith("+OK");
                assertThat(BigMessages.line(in)).isEqualTo("From: bob@example.test");
                assertThat(BigMessages.line(in)).isEqualTo("Subject: big");
                assertThat(BigMessages.line(in)).isEmpty();
                assertThat(BigMessages.line(in)).as("dot-stuffed as it streams").isEqualTo(".." + "x".repeat(75));
                // then this client stops reading, with nearly all of the message still to come
            }
            Thread.sleep(1_000);
            long during = BigMessages.retainedHeap();
            assertThat((during - before) / MB).as("MB of heap the eight downloads hold").isLessThan(48);
        } finally {
            for (Socket s : downloads) {
                s.close();
            }
        }
    }
}

package org.letterbox.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.BigMessages;

/**
 * FETCH BODY[] streams from the store: eight sessions in the middle of fetching a 50 MB message hold a few buffers
 * each in the server's heap, not the message.
 */
@Tag("slow")
class ImapBigMessageMemoryTest {

    private static final int MB = 1024 * 1024;




    @Test
    void eightSessionsPartWayThroughFetchingAFiftyMegabyteMessageHoldLittleHeap() throws Exception {
        long size = 50L * MB;
        try (ImapFixture fixture = new ImapFixture()) {
            fixture.store.delivery().deliver("", List.of("alice@example.test"), List.of(),
                () -> BigMessages.generated(size), size);
            int port = fixture.start();
            long before = BigMessages.retainedHeap();
            List<Socket> fetches = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket socket = new Socket("127.0.0.1", port);
                    socket.setSoTimeout(30_000);
                    socket.setReceiveBufferSize(64 * 1024);
                    fetches.add(socket);
                    InputStream in = socket.getInputStream();
                    var out = socket.getOutputStream();
                    assertThat(BigMessages.line(in)).startsWith("* OK");
                    out.write("a LOGIN alice@example.test alice-pw\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(BigMessages.line(in)).isEqualTo("a OK LOGIN completed.");
                    out.write("b EXAMINE INBOX\r\n".getBytes(StandardCharsets.US_ASCII));
                    while (!BigMessages.line(in).startsWith("b ")) {
                        // the EXAMINE replies
                    }
                    out.write("c UID FETCH 1 (BODY.PEEK[])\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(BigMessages.line(in)).isEqualTo("* 1 FETCH (UID 1 BODY[] {" + size + "}");
                    assertThat(BigMessages.line(in)).isEqualTo("From: bob@example.test");
                    // then this session stops reading, with nearly all of the message still to come
                }
                Thread.sleep(1_000);
                long during = BigMessages.retainedHeap();
                assertThat((during - before) / MB).as("MB of heap the eight fetches hold").isLessThan(48);
            } finally {
                for (Socket s : fetches) {
                    s.close();
                }
            }
        }
    }
}

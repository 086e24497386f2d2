package org.letterbox.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.BigMessages;
import org.letterbox.testing.LineClient;

/**
 * Heap held by messages in flight, measured while every body has been sent but not yet ended with the final dot:
 * at that moment a server that buffered messages whole would hold all of them.
 */
@Tag("slow")
class SmtpMemoryTest {

    private static final int MB = 1024 * 1024;

    private SmtpFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new SmtpFixture();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }


    private static void sendBody(LineClient c, int bytes) throws Exception {
        String line = "y".repeat(998) + "\r\n";
        StringBuilder chunk = new StringBuilder();
        for (int i = 0; i < 1024; i++) {
            chunk.append(line);
        }
        byte[] block = chunk.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        c.sendRaw("Subject: bulk\r\n\r\n");
        for (long sent = 0; sent < bytes; sent += block.length) {
            c.sendBytes(block);
        }
    }

    @Test
    void aMessageOverTheSizeLimitIsDroppedAsItArrivesNotBuffered() throws Exception {
        // the spool threshold is far above the body: whatever the server kept would sit in the heap
        int port = fixture.start(b -> b.maxMessageSize(MB).spoolThreshold(512 * MB));
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO remote.test");
            c.command("MAIL FROM:<sender@remote.test>");
            c.command("RCPT TO:<alice@example.test>");
            assertThat(c.command("DATA")).startsWith("354 ");
            long before = BigMessages.retainedHeap();
            sendBody(c, 200 * MB);
            Thread.sleep(500); // lets the server read what still sits in socket buffers
            long held = BigMessages.retainedHeap() - before;
            c.send(".");
            assertThat(c.readReply()).startsWith("552 5.3.4");
            // measured: about 13 MB whatever the size past 100 MB (the I/O buffers' pool); buffering it would take 200 MB
            assertThat(held).as("heap held after 200 MB of an over-limit message").isLessThan(48L * MB);
        }
        assertThat(fixture.inbox("alice@example.test")).isEmpty();
    }

    @Test
    void twentySessionsSendingLargeMessagesAtOnceHoldLittleHeap() throws Exception {
        int sessions = 20;
        int size = 8 * MB;
        int port = fixture.start(b -> b.maxMessageSize(64 * MB).maxConnectionsPerIp(sessions));
        CyclicBarrier allSent = new CyclicBarrier(sessions + 1);
        CyclicBarrier measured = new CyclicBarrier(sessions + 1);
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        long before = BigMessages.retainedHeap();
        List<Future<String>> replies = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            replies.add(pool.submit(() -> {
                try (LineClient c = LineClient.connect(port)) {
                    c.readReply();
                    c.command("EHLO remote.test");
                    c.command("MAIL FROM:<sender@remote.test>");
                    c.command("RCPT TO:<alice@example.test>");
                    c.command("DATA");
                    sendBody(c, size);
                    allSent.await(60, TimeUnit.SECONDS);
                    measured.await(60, TimeUnit.SECONDS);
                    c.timeout(90_000).send("."); // 20 large messages are written to the store one after another
                    return c.readReply();
                }
            }));
        }
        allSent.await(120, TimeUnit.SECONDS);
        Thread.sleep(1000); // lets the server read what still sits in socket buffers
        long held = BigMessages.retainedHeap() - before;
        measured.await(60, TimeUnit.SECONDS);
        for (Future<String> reply : replies) {
            assertThat(reply.get(120, TimeUnit.SECONDS)).startsWith("250 ");
        }
        pool.shutdown();
        // measured: about 6 MB; holding the messages whole would take 160 MB
        assertThat(held).as("heap held by 20 messages of 8 MB in flight").isLessThan(40L * MB);
        assertThat(fixture.inbox("alice@example.test")).hasSize(sessions)
            .allSatisfy(m -> assertThat(m.length).isGreaterThan(size));
    }
}

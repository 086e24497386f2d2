package org.letterbox.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.LineClient;

/** Graceful shutdown: a transaction under way finishes; new connections and new transactions get 421 4.3.2. */
@Tag("slow")
class SmtpShutdownTest {

    private SmtpFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new SmtpFixture();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void aTransactionUnderWayFinishesWhileNewWorkIsTurnedAway() throws Exception {
        int port = fixture.startMx();
        SmtpServer server = fixture.servers.get(0);
        try (LineClient sending = LineClient.connect(port); LineClient idle = LineClient.connect(port)) {
            sending.readReply();
            sending.command("EHLO remote.test");
            sending.command("MAIL FROM:<a@remote.test>");
            sending.command("RCPT TO:<alice@example.test>");
            assertThat(sending.command("DATA")).startsWith("354 ");
            sending.sendRaw("Subject: in flight\r\n\r\nfirst half\r\n");
            idle.readReply();
            idle.command("EHLO remote.test");

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.drainAndClose(Duration.ofSeconds(20)));
            Thread.sleep(300);
            try (LineClient late = LineClient.connect(port)) {
                assertThat(late.readReply()).startsWith("421 4.3.2");
            }
            assertThat(idle.command("MAIL FROM:<b@remote.test>")).startsWith("421 4.3.2");
            assertThat(idle.closedByServer()).isTrue();
            assertThat(stopping).isNotDone();

            sending.sendRaw("second half\r\n.\r\n");
            assertThat(sending.readReply()).startsWith("250 ");
            stopping.get(20, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(fixture.inboxText("alice@example.test")).singleElement()
            .satisfies(m -> assertThat(m).endsWith("Subject: in flight\r\n\r\nfirst half\r\nsecond half\r\n"));
    }
}

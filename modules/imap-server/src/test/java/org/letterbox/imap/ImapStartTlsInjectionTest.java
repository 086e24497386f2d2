package org.letterbox.imap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.LineClient;

/**
 * STARTTLS command injection (the CVE-2011-0411 class): a command sent in the same segment as STARTTLS, before the
 * handshake, must never run inside the TLS session.
 */
@Tag("slow")
class ImapStartTlsInjectionTest {

    private static ImapFixture fixture;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        fixture = new ImapFixture();
        port = fixture.start();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void aLoginSentWithStartTlsInOneSegmentEndsTheConnectionAndIsNeverExecuted() throws Exception {
        ch.qos.logback.classic.Logger auth = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.letterbox.auth");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        auth.addAppender(logged);
        try (LineClient c = LineClient.connect(port)) {
            c.readLine();
            c.sendRaw("a STARTTLS\r\nb LOGIN alice@example.test alice-pw\r\n");
            // James sees bytes after STARTTLS before the handshake and drops the connection: no TLS, no LOGIN
            assertThat(c.readLine()).isNull();
        } finally {
            auth.detachAppender(logged);
        }
        assertThat(logged.list).isEmpty();
        try (ImapClient c = ImapClient.connect(port)) {
            assertThat(ImapClient.tagged(c.command("STARTTLS"))).isEqualTo("a1 OK STARTTLS Begin TLS negotiation now.");
        }
    }
}

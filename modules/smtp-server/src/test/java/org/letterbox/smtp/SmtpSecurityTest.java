package org.letterbox.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.LineClient;

/** SMTP smuggling (CVE-2023-51764 class) and STARTTLS command injection (CVE-2011-0411 class). */
@Tag("slow")
class SmtpSecurityTest {

    private SmtpFixture fixture;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SmtpFixture();
        port = fixture.startMx();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private void smuggle(String endOfFirstMessage) throws Exception {
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO attacker.test");
            c.command("MAIL FROM:<attacker@remote.test>");
            c.command("RCPT TO:<alice@example.test>");
            assertThat(c.command("DATA")).startsWith("354 ");
            c.sendRaw("Subject: innocent\r\n\r\nfirst" + endOfFirstMessage
                + "MAIL FROM:<ceo@example.test>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\n"
                + "Subject: smuggled\r\n\r\nforged\r\n.\r\n");
            // exactly one reply: the whole thing was one message
            assertThat(c.readReply()).startsWith("250 2.0.0");
            assertThat(c.command("NOOP")).startsWith("250 ");
        }
        assertThat(fixture.inbox("bob@example.test")).isEmpty();
        assertThat(fixture.inboxText("alice@example.test")).singleElement().satisfies(message -> {
            assertThat(message).contains("Subject: innocent").contains("MAIL FROM:<ceo@example.test>");
            // bare line breaks were normalised to CRLF, and the lone dot line is kept as content
            assertThat(message).doesNotContainPattern("[^\r]\n").doesNotContainPattern("\r[^\n]");
        });
    }

    @Test
    void bareLfDotBareLfDoesNotEndTheMessage() throws Exception {
        smuggle("\n.\n");
    }

    @Test
    void bareCrDotBareCrDoesNotEndTheMessage() throws Exception {
        smuggle("\r.\r");
    }

    @Test
    void bareLfDotCrlfDoesNotEndTheMessage() throws Exception {
        smuggle("\n.\r\n");
    }

    @Test
    void crlfDotBareLfDoesNotEndTheMessage() throws Exception {
        smuggle("\r\n.\n");
    }

    @Test
    void commandsPipelinedBehindStartTlsAreDiscarded() throws Exception {
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO attacker.test");
            // The injected MAIL would be executed inside the TLS session if it were kept.
            c.sendRaw("STARTTLS\r\nMAIL FROM:<injected@remote.test>\r\n");
            assertThat(c.readReply()).startsWith("220 ");
            c.startTls();
            assertThat(c.command("EHLO attacker.test")).startsWith("250 ");
            // No transaction was started by the injected line: RCPT is out of sequence, MAIL is accepted.
            assertThat(c.command("RCPT TO:<alice@example.test>")).startsWith("503 ");
            assertThat(c.command("MAIL FROM:<real@remote.test>")).startsWith("250 ");
        }
    }

    /** An EHLO name with a bare LF, a bare CR or another control character must not start a header of its own. */
    @Test
    void anEhloNameWithLineBreaksOrControlsIsRefusedAndNeverReachesTheReceivedHeader() throws Exception {
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            assertThat(c.command("EHLO evil.test\nX-Injected: yes")).isEqualTo("501 5.5.4 Invalid domain name");
            assertThat(c.command("EHLO evil.test\rX-Injected: yes")).isEqualTo("501 5.5.4 Invalid domain name");
            assertThat(c.command("HELO evil\u0000test")).isEqualTo("501 5.5.4 Invalid domain name");
            assertThat(c.command("EHLO " + "a".repeat(300) + ".test")).isEqualTo("501 5.5.4 Invalid domain name");
            c.command("EHLO remote.test");
            assertThat(c.command("MAIL FROM:<sender@remote.test>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<alice@example.test>")).startsWith("250 ");
            c.command("DATA");
            c.sendRaw("Subject: hi\r\n\r\nbody\r\n.\r\n");
            assertThat(c.readReply()).startsWith("250 ");
        }
        assertThat(fixture.inboxText("alice@example.test")).singleElement()
            .satisfies(m -> assertThat(m).doesNotContain("X-Injected").contains("Received: from remote.test ("));
    }
}

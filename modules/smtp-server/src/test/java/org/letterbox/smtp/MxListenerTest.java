package org.letterbox.smtp;

import org.letterbox.store.StoreInternals;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.LineClient;

/** The MX listener, as another mail server sees it. */
@Tag("slow")
class MxListenerTest {

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

    @Test
    void acceptsMailForALocalUserWithoutAuthAndStoresItWithReturnPathAndReceived() throws Exception {
        try (LineClient c = LineClient.connect(port)) {
            assertThat(c.readReply()).startsWith("220 mx.example.test");
            assertThat(c.command("EHLO remote.test")).startsWith("250 ");
            assertThat(c.command("MAIL FROM:<sender@remote.test>")).startsWith("250 2.1.0");
            assertThat(c.command("RCPT TO:<alice@example.test>")).startsWith("250 2.1.5");
            assertThat(c.command("DATA")).startsWith("354 ");
            c.send("Subject: hello").send("").send("Hi Alice").send(".");
            assertThat(c.readReply()).startsWith("250 2.0.0");
            assertThat(c.command("QUIT")).startsWith("221 ");
        }
        assertThat(fixture.inboxText("alice@example.test")).singleElement().satisfies(message -> {
            assertThat(message).startsWith("Return-Path: <sender@remote.test>\r\nReceived: from remote.test ([127.0.0.1])");
            assertThat(message).contains("by mx.example.test (Letterbox) with ESMTP id ");
            assertThat(message).contains("for <alice@example.test>; ");
            assertThat(message).endsWith("Subject: hello\r\n\r\nHi Alice\r\n");
        });
    }

    @Test
    void refusesRelayingToOtherDomainsWithoutAuth() throws Exception {
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO remote.test");
            c.command("MAIL FROM:<sender@remote.test>");
            assertThat(c.command("RCPT TO:<victim@elsewhere.test>")).startsWith("550 5.7.1");
            // the session is still usable
            assertThat(c.command("RCPT TO:<bob@example.test>")).startsWith("250 2.1.5");
        }
        assertThat(fixture.queue()).isEmpty();
    }

    @Test
    void refusesUnknownLocalRecipientAtRcptSoNoBounceIsEverNeeded() throws Exception {
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO remote.test");
            c.command("MAIL FROM:<sender@remote.test>");
            assertThat(c.command("RCPT TO:<nobody@example.test>")).startsWith("550 5.1.1");
            assertThat(c.command("DATA")).startsWith("503 ");
        }
    }

    @Test
    void ehloAdvertisesTheExtensionsThatWork() throws Exception {
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.send("EHLO remote.test");
            String ehlo = c.readFullReply();
            assertThat(ehlo).contains("250-PIPELINING", "ENHANCEDSTATUSCODES", "8BITMIME", "SIZE 26214400", "STARTTLS", "SMTPUTF8");
            // loopback with the default settings: AUTH may be used in clear text
            assertThat(ehlo).contains("AUTH LOGIN PLAIN");
        }
    }

    @Test
    void heloAndEhloGreetTheClientByNameAndAddressInBalancedBrackets() throws Exception {
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.send("EHLO remote.test");
            assertThat(c.readFullReply().split("\r?\n")[0]).isEqualTo("250-mx.example.test Hello remote.test [127.0.0.1]");
            c.send("EHLO [127.0.0.1]");
            assertThat(c.readFullReply().split("\r?\n")[0]).isEqualTo("250-mx.example.test Hello [127.0.0.1]");
            assertThat(c.command("HELO remote.test")).isEqualTo("250 mx.example.test Hello remote.test [127.0.0.1]");
        }
    }

    @Test
    void aliasesExpandToEveryTargetAndTheBytesAreStoredOnce() throws Exception {
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO remote.test");
            c.command("MAIL FROM:<sender@remote.test>");
            assertThat(c.command("RCPT TO:<team@example.test>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<sales@example.test>")).startsWith("250 ");
            c.command("DATA");
            c.send("Subject: to the team").send("").send("body").send(".");
            assertThat(c.readReply()).startsWith("250 ");
        }
        // alice is reached twice (team and sales) but gets one copy
        assertThat(fixture.inbox("alice@example.test")).hasSize(1);
        assertThat(fixture.inbox("bob@example.test")).hasSize(1);
        long contentRows = StoreInternals.database(fixture.store).read(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM message_content")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(contentRows).isEqualTo(1);
    }

    @Test
    void plusAddressingAndCatchAllReachTheRightUser() throws Exception {
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO remote.test");
            c.command("MAIL FROM:<sender@remote.test>");
            assertThat(c.command("RCPT TO:<alice+newsletters@example.test>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<anything@catchall.test>")).startsWith("250 ");
            c.command("DATA");
            c.send("Subject: plus").send("").send("x").send(".");
            assertThat(c.readReply()).startsWith("250 ");
        }
        assertThat(fixture.inbox("alice@example.test")).hasSize(1);
        assertThat(fixture.inbox("bob@example.test")).hasSize(1);
    }

    @Test
    void anAliasPointingOutsideQueuesTheMessageForRemoteDelivery() throws Exception {
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO remote.test");
            c.command("MAIL FROM:<sender@remote.test>");
            assertThat(c.command("RCPT TO:<outside@example.test>")).startsWith("250 ");
            c.command("DATA");
            c.send("Subject: forwarded").send("").send("x").send(".");
            assertThat(c.readReply()).startsWith("250 ");
        }
        assertThat(fixture.queue()).containsExactly("sender@remote.test -> someone@remote.test");
    }

    @Test
    void tooManyRecipientsGet452() throws Exception {
        fixture.close();
        fixture = new SmtpFixture();
        port = fixture.start(b -> b.maxRecipients(2));
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO remote.test");
            c.command("MAIL FROM:<sender@remote.test>");
            assertThat(c.command("RCPT TO:<alice@example.test>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<bob@example.test>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<team@example.test>")).startsWith("452 4.5.3");
        }
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO remote.test");
            c.sendRaw("MAIL FROM:<sender@remote.test>\r\nRCPT TO:<alice@example.test>\r\nRCPT TO:<nobody@example.test>\r\nDATA\r\n");
            assertThat(c.readReply()).startsWith("250 2.1.0");
            assertThat(c.readReply()).startsWith("250 2.1.5");
            assertThat(c.readReply()).startsWith("550 5.1.1");
            assertThat(c.readReply()).startsWith("354 ");
            c.sendRaw("Subject: pipelined\r\n\r\nbody\r\n.\r\nQUIT\r\n");
            assertThat(c.readReply()).startsWith("250 2.0.0");
            assertThat(c.readReply()).startsWith("221 ");
        }
        assertThat(fixture.inbox("alice@example.test")).hasSize(1);
    }
}

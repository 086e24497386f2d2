package org.letterbox.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.net.login.LoginGuard;
import org.letterbox.testing.LineClient;

/** Every configurable limit: size, line length, connections, timeouts, errors, failed AUTH. */
@Tag("slow")
class SmtpLimitsTest {

    private SmtpFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new SmtpFixture();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private static void startTransaction(LineClient c) throws Exception {
        c.readReply();
        c.command("EHLO remote.test");
        assertThat(c.command("MAIL FROM:<sender@remote.test>")).startsWith("250 ");
        assertThat(c.command("RCPT TO:<alice@example.test>")).startsWith("250 ");
    }

    @Test
    void declaredSizeOverTheLimitIsRefusedAtMailFrom() throws Exception {
        int port = fixture.start(b -> b.maxMessageSize(10_000));
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.send("EHLO remote.test");
            assertThat(c.readFullReply()).contains("SIZE 10000");
            assertThat(c.command("MAIL FROM:<sender@remote.test> SIZE=10001")).startsWith("552 5.3.4");
            assertThat(c.command("MAIL FROM:<sender@remote.test> SIZE=9000")).startsWith("250 ");
        }
    }

    @Test
    void aMessageOverTheLimitIsRefusedAtTheEndOfDataAndTheSessionGoesOn() throws Exception {
        int port = fixture.start(b -> b.maxMessageSize(100_000));
        try (LineClient c = LineClient.connect(port)) {
            startTransaction(c);
            c.command("DATA");
            c.send("Subject: big").send("");
            String line = "x".repeat(998);
            for (int i = 0; i < 3_000; i++) {
                c.send(line);
            }
            c.send(".");
            assertThat(c.readReply()).startsWith("552 5.3.4");
            // the session is in step and usable
            assertThat(c.command("MAIL FROM:<sender@remote.test>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<alice@example.test>")).startsWith("250 ");
            c.command("DATA");
            c.send("Subject: small").send("").send("ok").send(".");
            assertThat(c.readReply()).startsWith("250 ");
        }
        assertThat(fixture.inboxText("alice@example.test")).singleElement().satisfies(m -> assertThat(m).contains("Subject: small"));
    }

    @Test
    void anOverLongCommandLineGetsOneReplyAndTheNextCommandIsAnsweredInStep() throws Exception {
        int port = fixture.start(b -> b.maxCommandLineLength(512));
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO remote.test");
            c.sendRaw("NOOP " + "a".repeat(20_000) + "\r\nNOOP\r\n");
            assertThat(c.readReply()).startsWith("500 5.5.2");
            assertThat(c.readReply()).startsWith("250 ");
            assertThat(c.command("MAIL FROM:<sender@remote.test>")).startsWith("250 ");
        }
    }

    @Test
    void aMessageWithAnOverLongLineIsRefusedWholeAndNothingIsStored() throws Exception {
        int port = fixture.start(b -> b.maxDataLineLength(1_000));
        try (LineClient c = LineClient.connect(port)) {
            startTransaction(c);
            c.command("DATA");
            c.send("Subject: long line").send("").send("y".repeat(10_000)).send("after").send(".");
            assertThat(c.readReply()).startsWith("500 5.5.2");
            assertThat(c.command("NOOP")).startsWith("250 ");
            // the next message, with normal lines, goes through
            c.command("MAIL FROM:<sender@remote.test>");
            c.command("RCPT TO:<alice@example.test>");
            c.command("DATA");
            c.send("Subject: fine").send("").send("z".repeat(900)).send(".");
            assertThat(c.readReply()).startsWith("250 ");
        }
        assertThat(fixture.inboxText("alice@example.test")).singleElement().satisfies(m -> assertThat(m).contains("Subject: fine"));
    }

    @Test
    void loopbackIsExemptFromThePerIpCapByDefault() throws Exception {
        int port = fixture.start(b -> b.maxConnectionsPerIp(2));
        java.util.List<LineClient> clients = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                LineClient client = LineClient.connect(port);
                clients.add(client);
                assertThat(client.readReply()).startsWith("220 ");
            }
        } finally {
            for (LineClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void connectionsPerIpAreLimitedOutsideTheTrustedNetworks() throws Exception {
        int port = fixture.start(b -> b.maxConnectionsPerIp(2).trustedNetworks(org.letterbox.net.TrustedNetworks.of(java.util.List.of("192.0.2.0/24"))));
        try (LineClient first = LineClient.connect(port)) {
            assertThat(first.readReply()).startsWith("220 ");
            try (LineClient second = LineClient.connect(port)) {
                assertThat(second.readReply()).startsWith("220 ");
                try (LineClient third = LineClient.connect(port)) {
                    assertThat(third.readReply()).startsWith("421 4.7.0");
                    assertThat(third.closedByServer()).isTrue();
                }
            }
            // a slot is free again once the server has seen a connection end
            String greeting = null;
            for (int attempt = 0; attempt < 50 && (greeting == null || !greeting.startsWith("220")); attempt++) {
                Thread.sleep(100);
                try (LineClient again = LineClient.connect(port)) {
                    greeting = again.readReply();
                }
            }
            assertThat(greeting).startsWith("220 ");
        }
    }

    @Test
    void totalConnectionsAreLimited() throws Exception {
        int port = fixture.start(b -> b.maxConnections(1));
        try (LineClient first = LineClient.connect(port)) {
            assertThat(first.readReply()).startsWith("220 ");
            try (LineClient second = LineClient.connect(port)) {
                assertThat(second.readReply()).startsWith("421 4.7.0");
                assertThat(second.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void anIdleSessionIsClosed() throws Exception {
        int port = fixture.start(b -> b.idleTimeout(Duration.ofSeconds(1)));
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.timeout(5_000);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aCommandLineDrippedSlowerThanTheCommandTimeoutClosesTheSession() throws Exception {
        int port = fixture.start(b -> b.commandTimeout(Duration.ofSeconds(1)));
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            long start = System.nanoTime();
            // one byte every 300 ms keeps the idle timeout away, but the line never completes
            String reply = null;
            for (char ch : "MAIL FROM:<slow@remote.test>".toCharArray()) {
                c.sendRaw(String.valueOf(ch));
                Thread.sleep(300);
                if (System.nanoTime() - start > 1_500_000_000L) {
                    break;
                }
            }
            reply = c.readLine();
            assertThat(reply).startsWith("421 4.4.2");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void dataThatDoesNotEndInTimeClosesTheSession() throws Exception {
        int port = fixture.start(b -> b.dataTimeout(Duration.ofSeconds(1)));
        try (LineClient c = LineClient.connect(port)) {
            startTransaction(c);
            assertThat(c.command("DATA")).startsWith("354 ");
            for (int i = 0; i < 6; i++) {
                c.send("line " + i);
                Thread.sleep(300);
            }
            assertThat(c.readLine()).startsWith("421 4.4.2");
        }
        assertThat(fixture.inbox("alice@example.test")).isEmpty();
    }

    @Test
    void tooManyErrorsCloseTheConnection() throws Exception {
        int port = fixture.start(b -> b.maxProtocolErrors(3));
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            assertThat(c.command("BOGUS")).startsWith("500 ");
            assertThat(c.command("BOGUS")).startsWith("500 ");
            assertThat(c.command("BOGUS")).startsWith("500 ");
            assertThat(c.readReply()).startsWith("421 4.7.0");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void failedAuthIsDelayedAndRepeatedFailuresLockTheAddressOut() throws Exception {
        int port = fixture.start(b -> b.role(SmtpSettings.Role.SUBMISSION).failedLoginDelay(Duration.ofMillis(300))
            .maxAuthFailuresPerConnection(10).maxProtocolErrors(100)
            .loginGuard(new LoginGuard(new LoginGuard.Settings(3, Duration.ofMinutes(5), Duration.ofSeconds(30), 50,
                Duration.ofHours(1), 1_000))));
        String wrong = Base64.getEncoder().encodeToString("\0alice@example.test\0nope".getBytes());
        String right = Base64.getEncoder().encodeToString("\0alice@example.test\0alice-pw".getBytes());
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO client.test");
            long start = System.nanoTime();
            assertThat(c.command("AUTH PLAIN " + wrong)).startsWith("535 5.7.8");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(c.command("AUTH PLAIN " + wrong)).startsWith("535 ");
            assertThat(c.command("AUTH PLAIN " + wrong)).startsWith("535 ");
            // locked out now, even with the right password
            assertThat(c.command("AUTH PLAIN " + right)).startsWith("454 4.7.0");
        }
    }

    @Test
    void theThirdFailedAuthOnAConnectionClosesItWith421() throws Exception {
        int port = fixture.start(b -> b.role(SmtpSettings.Role.SUBMISSION).failedLoginDelay(Duration.ofMillis(10))
            .maxProtocolErrors(100));
        String wrong = Base64.getEncoder().encodeToString("\0alice@example.test\0nope".getBytes());
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("AUTH PLAIN " + wrong)).isEqualTo("535 5.7.8 Authentication credentials invalid");
            assertThat(c.command("AUTH PLAIN " + wrong)).isEqualTo("535 5.7.8 Authentication credentials invalid");
            assertThat(c.command("AUTH PLAIN " + wrong)).isEqualTo("421 4.7.0 Too many failed logins, closing connection");
            assertThat(c.readLine()).isNull();
        }
    }

    @Test
    void aFailedAuthsDelayHoldsNoThreadThatOtherSessionsNeed() throws Exception {
        int port = fixture.start(b -> b.role(SmtpSettings.Role.SUBMISSION).protocolThreads(1)
            .failedLoginDelay(Duration.ofSeconds(3)));
        String wrong = Base64.getEncoder().encodeToString("\0alice@example.test\0nope".getBytes());
        String right = Base64.getEncoder().encodeToString("\0bob@example.test\0bob-pw".getBytes());
        try (LineClient failing = LineClient.connect(port); LineClient other = LineClient.connect(port)) {
            failing.readReply();
            other.readReply();
            failing.command("EHLO client.test");
            other.command("EHLO other.test");
            long start = System.nanoTime();
            failing.send("AUTH PLAIN " + wrong);
            Thread.sleep(200);
            assertThat(other.command("AUTH PLAIN " + right)).isEqualTo("235 2.7.0 Authentication successful");
            assertThat((System.nanoTime() - start) / 1_000_000).as("bob's AUTH, in ms").isLessThan(2_500);
            assertThat(failing.readReply()).isEqualTo("535 5.7.8 Authentication credentials invalid");
            assertThat((System.nanoTime() - start) / 1_000_000).as("the failure's answer, in ms").isGreaterThanOrEqualTo(3_000);
        }
    }

    /** SMTP delivery respects the recipient's quota as APPEND does: 552 5.2.2 at RCPT when full, at DATA when it would be. */
    @Test
    void deliveryRespectsTheRecipientsQuotaAtRcptAndAtTheEndOfData() throws Exception {
        int port = fixture.start(b -> b);
        org.apache.james.mailbox.model.QuotaRoot root = fixture.store.quotaRootResolver()
            .getQuotaRoot(org.apache.james.mailbox.model.MailboxPath.inbox(org.apache.james.core.Username.of("alice@example.test")));
        fixture.store.maxQuotaManager().setMaxStorage(root, org.apache.james.core.quota.QuotaSizeLimit.size(2_000));
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO remote.test");
            assertThat(c.command("MAIL FROM:<sender@remote.test> SIZE=5000")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<alice@example.test>")).isEqualTo("552 5.2.2 <alice@example.test>: mailbox full");
            assertThat(c.command("RCPT TO:<bob@example.test>")).startsWith("250 ");
            c.command("RSET");
            assertThat(c.command("MAIL FROM:<sender@remote.test>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<alice@example.test>")).startsWith("250 ");
            assertThat(c.command("DATA")).startsWith("354 ");
            c.sendRaw("Subject: big\r\n\r\n" + "x".repeat(3_000) + "\r\n.\r\n");
            assertThat(c.readReply()).isEqualTo("552 5.2.2 Mailbox full: alice@example.test");
            assertThat(c.command("MAIL FROM:<sender@remote.test>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<alice@example.test>")).startsWith("250 ");
            assertThat(c.command("DATA")).startsWith("354 ");
            c.sendRaw("Subject: small\r\n\r\nfits\r\n.\r\n");
            assertThat(c.readReply()).startsWith("250 2.0.0");
        }
        assertThat(fixture.inboxText("alice@example.test")).singleElement().satisfies(m -> assertThat(m).contains("Subject: small"));
    }

    @Test
    void largeMessagesAreSpooledToDiskAndArriveIntact() throws Exception {
        int port = fixture.start(b -> b.spoolThreshold(64 * 1024));
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 40_000; i++) {
            body.append("line ").append(i).append(" of a large message\r\n");
        }
        try (LineClient c = LineClient.connect(port)) {
            startTransaction(c);
            c.command("DATA");
            c.sendRaw("Subject: large\r\n\r\n" + body + ".\r\n");
            assertThat(c.readReply()).startsWith("250 ");
        }
        assertThat(fixture.inboxText("alice@example.test")).singleElement()
            .satisfies(m -> assertThat(m).endsWith("Subject: large\r\n\r\n" + body));
    }
}

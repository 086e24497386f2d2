package org.letterbox.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Greeting, capabilities, login policy and the folders a new account gets. */
@Tag("slow")
class ImapSessionTest {

    private ImapFixture fixture;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new ImapFixture();
        port = fixture.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void capabilitiesListEverythingWeSupport() throws Exception {
        try (ImapClient c = ImapClient.connect(port)) {
            assertThat(c.greeting).startsWith("* OK");
            List<String> response = c.command("CAPABILITY");
            String caps = response.get(0);
            assertThat(caps.toUpperCase()).contains("IMAP4REV1", "LITERAL+", "SASL-IR", "AUTH=PLAIN", "IDLE", "UIDPLUS", "MOVE",
                "CONDSTORE", "QRESYNC", "ENABLE", "NAMESPACE", "ID", "UNSELECT", "CHILDREN", "SPECIAL-USE", "ESEARCH",
                "WITHIN", "QUOTA", "ACL", "METADATA", "STARTTLS");
            assertThat(ImapClient.status(response)).isEqualTo("OK");
        }
    }

    @Test
    void plainTextLoginIsDisabledUntilTlsWhenLoopbackIsNotTrusted() throws Exception {
        int strict = fixture.start(b -> b.plaintextLoginOnLoopback(false));
        try (ImapClient c = ImapClient.connect(strict)) {
            assertThat(c.command("CAPABILITY").get(0)).contains("LOGINDISABLED", "STARTTLS").doesNotContain("AUTH=PLAIN");
            assertThat(ImapClient.tagged(c.login("alice@example.test", "alice-pw"))).contains("NO");
            assertThat(ImapClient.status(c.command("STARTTLS"))).isEqualTo("OK");
            c.raw().startTls();
            assertThat(c.command("CAPABILITY").get(0)).doesNotContain("LOGINDISABLED").contains("AUTH=PLAIN");
            assertThat(ImapClient.status(c.login("alice@example.test", "alice-pw"))).isEqualTo("OK");
        }
    }

    @Test
    void startTlsAnswersOnceInPlainTextThenSpeaksOnlyTls() throws Exception {
        int strict = fixture.start(b -> b.plaintextLoginOnLoopback(false));
        // The OK used to race the channel handler's own flush now and then (a second OK inside TLS): repeat it.
        for (int i = 0; i < 25; i++) {
            try (ImapClient c = ImapClient.connect(strict)) {
                assertThat(c.command("STARTTLS")).containsExactly("a1 OK STARTTLS Begin TLS negotiation now.");
                c.raw().startTls();
                List<String> capability = c.command("CAPABILITY");
                assertThat(capability).hasSize(2);
                assertThat(capability.get(0)).startsWith("* CAPABILITY").contains("AUTH=PLAIN");
                assertThat(c.command("LOGOUT")).last().asString().startsWith("a3 OK");
            }
        }
    }

    @Test
    void startTlsRightAfterADelayedRefusalIsAnsweredOnce() throws Exception {
        // the refused plain-text LOGIN is answered after the failed-login delay, from a timer thread; the STARTTLS
        // that follows used to be processed there too, and its OK then came twice now and then (once inside TLS)
        int strict = fixture.start(b -> b.plaintextLoginOnLoopback(false).failedLoginDelay(java.time.Duration.ofMillis(20)));
        for (int i = 0; i < 25; i++) {
            try (ImapClient c = ImapClient.connect(strict)) {
                assertThat(ImapClient.tagged(c.login("alice@example.test", "alice-pw"))).startsWith("a1 NO");
                assertThat(c.command("STARTTLS")).containsExactly("a2 OK STARTTLS Begin TLS negotiation now.");
                c.raw().startTls();
                List<String> capability = c.command("CAPABILITY");
                assertThat(capability).hasSize(2);
                assertThat(capability.get(0)).startsWith("* CAPABILITY").contains("AUTH=PLAIN");
            }
        }
    }

    @Test
    void aSessionClosedWithoutLogoutGivesBackItsPerUserSlot() throws Exception {
        int capped = fixture.start(b -> b.maxConnectionsPerUser(1));
        for (int i = 0; i < 5; i++) {
            try (ImapClient c = ImapClient.connect(capped)) {
                // the previous connection's slot is freed when the server sees it close, a moment after
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> {
                    List<String> login = c.login("alice@example.test", "alice-pw");
                    return ImapClient.status(login).equals("OK");
                });
            }
        }
        try (ImapClient first = ImapClient.connect(capped); ImapClient second = ImapClient.connect(capped)) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> ImapClient.status(first.login("alice@example.test", "alice-pw")).equals("OK"));
            assertThat(ImapClient.tagged(second.login("alice@example.test", "alice-pw"))).contains("NO [LIMIT]");
        }
    }

    @Test
    void authenticatePlainWithoutInitialResponseSendsAContinuationThenLogsIn() throws Exception {
        String good = java.util.Base64.getEncoder().encodeToString("\0alice@example.test\0alice-pw".getBytes(StandardCharsets.UTF_8));
        String bad = java.util.Base64.getEncoder().encodeToString("\0alice@example.test\0wrong".getBytes(StandardCharsets.UTF_8));
        try (ImapClient c = ImapClient.connect(port)) {
            c.raw().send("a1 AUTHENTICATE PLAIN");
            assertThat(c.raw().readLine()).startsWith("+");
            c.raw().send(bad);
            assertThat(ImapClient.tagged(c.readUntilTagged("a1"))).startsWith("a1 NO");
            c.raw().send("a2 AUTHENTICATE PLAIN");
            assertThat(c.raw().readLine()).startsWith("+");
            c.raw().send(good);
            assertThat(ImapClient.tagged(c.readUntilTagged("a2"))).startsWith("a2 OK");
            c.raw().send("a3 SELECT INBOX");
            assertThat(ImapClient.tagged(c.readUntilTagged("a3"))).startsWith("a3 OK");
        }
    }

    @Test
    void aNewAccountHasTheSpecialUseFoldersSubscribed() throws Exception {
        try (ImapClient c = ImapClient.connect(port)) {
            c.login("alice@example.test", "alice-pw");
            List<String> list = c.command("LIST \"\" \"*\" RETURN (SPECIAL-USE SUBSCRIBED)");
            assertThat(list).anyMatch(l -> l.contains("\\Drafts") && l.endsWith("\"Drafts\"") && l.contains("\\Subscribed"));
            assertThat(list).anyMatch(l -> l.contains("\\Sent") && l.endsWith("\"Sent\""));
            assertThat(list).anyMatch(l -> l.contains("\\Trash") && l.endsWith("\"Trash\""));
            assertThat(list).anyMatch(l -> l.contains("\\Junk") && l.endsWith("\"Junk\""));
            assertThat(list).anyMatch(l -> l.contains("\\Archive") && l.endsWith("\"Archive\""));
            assertThat(list).anyMatch(l -> l.endsWith("\"INBOX\""));
        }
    }

    @Test
    void wrongPasswordGetsNoAfterADelayAndTheSessionStaysUsable() throws Exception {
        int slow = fixture.start(b -> b.failedLoginDelay(java.time.Duration.ofMillis(500)));
        try (ImapClient c = ImapClient.connect(slow)) {
            long start = System.nanoTime();
            assertThat(ImapClient.tagged(c.login("alice@example.test", "nope"))).contains("NO");
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(500);
            assertThat(ImapClient.status(c.login("alice@example.test", "alice-pw"))).isEqualTo("OK");
        }
    }

    @Test
    void appendThenFetchReturnsTheSameBytes() throws Exception {
        byte[] message = "From: bob@example.test\r\nSubject: hello\r\n\r\nbody text\r\n".getBytes(StandardCharsets.US_ASCII);
        try (ImapClient c = ImapClient.connect(port)) {
            c.login("alice@example.test", "alice-pw");
            List<String> append = c.commandWithLiteral("APPEND INBOX (\\Seen) ", message, "");
            assertThat(ImapClient.tagged(append)).containsPattern("OK \\[APPENDUID \\d+ 1\\]");
            assertThat(c.command("SELECT INBOX")).anyMatch(l -> l.equals("* 1 EXISTS"));
            List<String> fetch = c.command("FETCH 1 (FLAGS BODY.PEEK[])");
            assertThat(fetch.get(0)).contains("\\Seen").endsWith("{" + message.length + "}");
            assertThat(String.join("\r\n", fetch.subList(1, fetch.size() - 2)) + "\r\n")
                .isEqualTo(new String(message, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void badInputGetsTaggedBadOrNoAndTheSessionStaysUsable() throws Exception {
        try (ImapClient c = ImapClient.connect(port)) {
            c.login("alice@example.test", "alice-pw");
            c.command("SELECT INBOX");
            assertThat(ImapClient.tagged(c.command("FROBNICATE"))).contains("BAD");
            assertThat(ImapClient.tagged(c.command("FETCH 1:x FLAGS"))).contains("BAD");
            assertThat(ImapClient.tagged(c.command("SEARCH CHARSET KLINGON TEXT hello"))).containsPattern("NO|BAD");
            assertThat(ImapClient.tagged(c.command("SELECT \"no such folder\""))).contains("NO");
            assertThat(ImapClient.status(c.command("NOOP"))).isEqualTo("OK");
        }
    }
}

package org.letterbox.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.store.queue.OutboundQueue;
import org.letterbox.testing.LineClient;

/**
 * Submission transcripts: the DSN extension (RFC 3461) advertised and its parameters kept with each queued
 * recipient; the hourly per-user limits on messages and recipients.
 */
class SubmissionDsnAndLimitsTest {

    private SmtpFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new SmtpFixture();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    private LineClient loggedIn(int port) throws Exception {
        LineClient c = LineClient.connect(port);
        c.readReply();
        c.command("EHLO client.test");
        assertThat(c.command("AUTH PLAIN " + plain("alice@example.test", "alice-pw"))).startsWith("235 ");
        return c;
    }

    @Test
    void submissionOffersDsnAndTheMxDoesNot() throws Exception {
        int submission = fixture.startSubmission();
        int mx = fixture.startMx();
        try (LineClient c = LineClient.connect(submission)) {
            c.readReply();
            c.send("EHLO client.test");
            assertThat(c.readFullReply()).contains("250-DSN");
        }
        try (LineClient c = LineClient.connect(mx)) {
            c.readReply();
            c.send("EHLO client.test");
            assertThat(c.readFullReply()).doesNotContain("DSN");
        }
    }

    @Test
    void dsnParametersGoIntoTheQueueWithEachRemoteRecipient() throws Exception {
        int port = fixture.startSubmission();
        try (LineClient c = loggedIn(port)) {
            assertThat(c.command("MAIL FROM:<alice@example.test> RET=HDRS ENVID=QQ314159")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<friend@remote.test> NOTIFY=success,failure ORCPT=rfc822;friend@remote.test"))
                .startsWith("250 ");
            assertThat(c.command("RCPT TO:<other@remote.test> NOTIFY=NEVER")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<plain@remote.test>")).startsWith("250 ");
            c.command("DATA");
            c.send("Subject: dsn").send("").send("x").send(".");
            assertThat(c.readReply()).startsWith("250 ");
        }
        var entries = fixture.store.queue().list();
        assertThat(entries).extracting(OutboundQueue.Entry::recipient)
            .containsExactly("friend@remote.test", "other@remote.test", "plain@remote.test");
        assertThat(entries.get(0).dsn()).isEqualTo(new OutboundQueue.DsnRequest(Optional.of("SUCCESS,FAILURE"),
            Optional.of("rfc822;friend@remote.test"), Optional.of("QQ314159"), Optional.of("HDRS")));
        assertThat(entries.get(1).dsn().notifyOn()).contains("NEVER");
        assertThat(entries.get(2).dsn()).isEqualTo(new OutboundQueue.DsnRequest(Optional.empty(), Optional.empty(),
            Optional.of("QQ314159"), Optional.of("HDRS")));
    }

    @Test
    void malformedDsnParametersAreRefusedWith501() throws Exception {
        int port = fixture.startSubmission();
        try (LineClient c = loggedIn(port)) {
            assertThat(c.command("MAIL FROM:<alice@example.test> RET=ALL")).startsWith("501 5.5.4");
            assertThat(c.command("MAIL FROM:<alice@example.test> ENVID=a=b")).startsWith("501 5.5.4");
            assertThat(c.command("MAIL FROM:<alice@example.test>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<friend@remote.test> NOTIFY=NEVER,SUCCESS")).startsWith("501 5.5.4");
            assertThat(c.command("RCPT TO:<friend@remote.test> NOTIFY=SOMETIMES")).startsWith("501 5.5.4");
            assertThat(c.command("RCPT TO:<friend@remote.test> ORCPT=no-semicolon")).startsWith("501 5.5.4");
            assertThat(c.command("RCPT TO:<friend@remote.test> NOTIFY=DELAY")).startsWith("250 ");
        }
    }

    @Test
    void aUserPastTheHourlyMessageLimitGets451AtMail() throws Exception {
        int port = fixture.start(b -> b.role(SmtpSettings.Role.SUBMISSION).perUserHourlyLimits(2, 100));
        try (LineClient c = loggedIn(port)) {
            for (int i = 0; i < 2; i++) {
                assertThat(c.command("MAIL FROM:<alice@example.test>")).startsWith("250 ");
                assertThat(c.command("RSET")).startsWith("250 ");
            }
            assertThat(c.command("MAIL FROM:<alice@example.test>")).startsWith("451 4.7.1 ");
        }
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("AUTH PLAIN " + plain("bob@example.test", "bob-pw"))).startsWith("235 ");
            assertThat(c.command("MAIL FROM:<bob@example.test>")).startsWith("250 ");
        }
    }

    @Test
    void aUserPastTheHourlyRecipientLimitGets451AtRcptAndRefusedOnesDoNotCount() throws Exception {
        int port = fixture.start(b -> b.role(SmtpSettings.Role.SUBMISSION).perUserHourlyLimits(100, 3));
        try (LineClient c = loggedIn(port)) {
            assertThat(c.command("MAIL FROM:<alice@example.test>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<nobody@example.test>")).startsWith("550 ");
            assertThat(c.command("RCPT TO:<a@remote.test>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<b@remote.test>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<bob@example.test>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<c@remote.test>")).startsWith("451 4.7.1 ");
        }
    }
}

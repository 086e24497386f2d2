package org.letterbox.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.LineClient;

/**
 * SMTPUTF8 (RFC 6531): the extension is advertised; with its MAIL parameter, UTF-8 envelope addresses (local parts
 * and IDN domains) are accepted, routed and recorded as sent; without it they are refused with 553 5.6.7; UTF-8
 * headers are stored byte for byte.
 */
@Tag("slow")
class SmtpUtf8Test {

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
    void utf8HeadersAreStoredIntactUnderSmtputf8() throws Exception {
        int port = fixture.startMx();
        String headers = "From: Jürgen Größ <jürgen@bücher.test>\r\nSubject: Grüße aus München ☃\r\n\r\nΚαλημέρα\r\n";
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.send("EHLO bücher.test");
            assertThat(c.readFullReply()).contains("SMTPUTF8");
            assertThat(c.command("MAIL FROM:<juergen@buecher.test> SMTPUTF8")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<alice@example.test>")).startsWith("250 ");
            c.command("DATA");
            c.sendBytes((headers + ".\r\n").getBytes(StandardCharsets.UTF_8));
            assertThat(c.readReply()).startsWith("250 ");
        }
        byte[] stored = fixture.inbox("alice@example.test").get(0);
        String text = new String(stored, StandardCharsets.UTF_8);
        assertThat(text).endsWith(headers);
    }

    @Test
    void utf8SenderAndRecipientAreAcceptedAndRecordedAsSent() throws Exception {
        fixture.store.accounts().addAlias("jürgen@example.test", "alice@example.test");
        int port = fixture.startMx();
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.send("EHLO bücher.test");
            c.readFullReply();
            assertThat(c.command("MAIL FROM:<jürgen@bücher.test> SMTPUTF8")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<jürgen@example.test>")).startsWith("250 2.1.5");
            assertThat(c.command("DATA")).startsWith("354 ");
            c.sendBytes("Subject: Grüße\r\n\r\nhallo\r\n.\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(c.readReply()).startsWith("250 ");
        }
        String stored = new String(fixture.inbox("alice@example.test").get(0), StandardCharsets.UTF_8);
        assertThat(stored).startsWith("Return-Path: <jürgen@bücher.test>\r\n").contains("for <jürgen@example.test>;");
    }

    @Test
    void anIdnDomainMatchesWhetherWrittenInUnicodeOrAsAnALabel() throws Exception {
        fixture.store.accounts().addDomain("xn--mnchen-3ya.test");
        fixture.store.accounts().addUser("özil@münchen.test", "pw");
        int port = fixture.startMx();
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.send("EHLO client.test");
            c.readFullReply();
            assertThat(c.command("MAIL FROM:<a@remote.test> SMTPUTF8")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<özil@xn--mnchen-3ya.test>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<özil@münchen.test>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<nobody@münchen.test>")).startsWith("550 5.1.1");
            assertThat(c.command("DATA")).startsWith("354 ");
            c.sendBytes("Subject: x\r\n\r\nbody\r\n.\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(c.readReply()).startsWith("250 ");
        }
        assertThat(fixture.inbox("özil@münchen.test")).hasSize(1);
    }

    @Test
    void utf8AddressesWithoutSmtputf8AreRefusedAndTheSessionGoesOn() throws Exception {
        fixture.store.accounts().addAlias("jürgen@example.test", "alice@example.test");
        int port = fixture.startMx();
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.send("EHLO client.test");
            c.readFullReply();
            assertThat(c.command("MAIL FROM:<jürgen@bücher.test>")).startsWith("553 5.6.7");
            assertThat(c.command("MAIL FROM:<bob@remote.test>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<jürgen@example.test>")).startsWith("553 5.6.7");
            assertThat(c.command("RCPT TO:<jü..rgen@example.test>")).startsWith("553 5.1.3");
            assertThat(c.command("RCPT TO:<alice@example.test>")).startsWith("250 ");
            assertThat(c.command("RSET")).startsWith("250 ");
            assertThat(c.command("MAIL FROM:<bob@remote.test> SMTPUTF8")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<jü..rgen@example.test>")).startsWith("553 5.1.3");
            assertThat(c.command("RCPT TO:<jürgen@example.test>")).startsWith("250 ");
        }
    }
}

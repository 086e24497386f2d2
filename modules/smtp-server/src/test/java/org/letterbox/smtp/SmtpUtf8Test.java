package org.letterbox.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.LineClient;

/**
 * SMTPUTF8 (RFC 6531): the extension is advertised, its MAIL parameter accepted, and UTF-8 headers are stored byte
 * for byte. (UTF-8 in envelope addresses is not accepted yet: James 3.8.1's address parser refuses it.)
 */
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
            assertThat(c.command("MAIL FROM:<juergen@buecher.test> SMTPUTF8")).startsWith("250");
            assertThat(c.command("RCPT TO:<alice@example.test>")).startsWith("250");
            c.command("DATA");
            c.sendBytes((headers + ".\r\n").getBytes(StandardCharsets.UTF_8));
            assertThat(c.readReply()).startsWith("250");
        }
        byte[] stored = fixture.inbox("alice@example.test").get(0);
        String text = new String(stored, StandardCharsets.UTF_8);
        assertThat(text).endsWith(headers);
    }
}

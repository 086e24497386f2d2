package org.letterbox.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.LineClient;

/** SMTPUTF8 (RFC 6531): UTF-8 in the envelope and in headers is accepted and stored byte for byte. */
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
    void utf8SenderAndHeadersAreStoredIntact() throws Exception {
        int port = fixture.startMx();
        String headers = "From: Jürgen Größ <jürgen@bücher.test>\r\nSubject: Grüße aus München ☃\r\n\r\nΚαλημέρα\r\n";
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.send("EHLO bücher.test");
            assertThat(c.readFullReply()).contains("SMTPUTF8");
            assertThat(c.command("MAIL FROM:<jürgen@bücher.test> SMTPUTF8")).startsWith("250");
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

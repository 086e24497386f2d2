package org.letterbox.delivery.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** 8-bit messages made 7-bit for a peer without 8BITMIME: which parts change, which stay, which cannot. */
class SevenBitConverterTest {

    private static String convert(String message) {
        Optional<byte[]> converted = SevenBitConverter.convert(message.getBytes(StandardCharsets.UTF_8));
        return converted.map(bytes -> new String(bytes, StandardCharsets.US_ASCII)).orElse(null);
    }

    @Test
    void onlyTheEightBitPartsOfAMultipartAreReencoded() {
        String message = "Subject: parts\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
            + "preamble\r\n--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nplain ascii\r\n"
            + "--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nnaïve café\r\n"
            + "--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n"
            + "--b1--\r\nepilogue\r\n";
        assertThat(convert(message)).isEqualTo("Subject: parts\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
            + "preamble\r\n--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nplain ascii\r\n"
            + "--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "na=C3=AFve caf=C3=A9\r\n"
            + "--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n"
            + "--b1--\r\nepilogue\r\n");
    }

    @Test
    void anAttachedMessageIsConvertedInside() {
        String message = "Content-Type: message/rfc822\r\n\r\nSubject: inner\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nÜ\r\n";
        assertThat(convert(message)).isEqualTo("Content-Type: message/rfc822\r\n\r\nSubject: inner\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=C3=9C\r\n");
    }

    @Test
    void longLinesGetSoftBreaksAndTrailingSpaceIsEncoded() {
        String converted = convert("Content-Type: text/plain\r\n\r\n" + "é".repeat(40) + " \r\n");
        String body = converted.substring(converted.indexOf("\r\n\r\n") + 4);
        for (String line : body.split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(76);
        }
        assertThat(body).endsWith("=20\r\n").contains("=\r\n");
    }

    @Test
    void eightBitHeadersOrBase64CannotBeConverted() {
        assertThat(convert("Subject: Grüße\r\n\r\nx\r\n")).isNull();
        assertThat(convert("Content-Transfer-Encoding: base64\r\n\r\n\u00ff\r\n")).isNull();
    }

    @Test
    void aSevenBitMessageIsLeftAsItIs() {
        String message = "Subject: plain\r\n\r\nnothing to do = here\r\n";
        assertThat(convert(message)).isEqualTo(message);
    }
}

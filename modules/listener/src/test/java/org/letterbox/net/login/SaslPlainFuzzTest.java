package org.letterbox.net.login;

import org.junit.jupiter.api.Tag;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The SASL PLAIN decoder IMAP and POP3 share, fed arbitrary text, and arbitrary bytes base64-encoded: it never
 * throws, and what it returns is exactly the user and password that were sent. Every build replays the seeds in
 * {@code SaslPlainFuzzTestInputs}; {@code -Pfuzz} fuzzes.
 */
@Tag("slow")
class SaslPlainFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyClientMessageIsDecodedOrRefusedWithoutAThrow(byte[] sent) {
        SaslPlain.decode(new String(sent, StandardCharsets.ISO_8859_1));
        String encoded = Base64.getEncoder().encodeToString(sent);
        SaslPlain.decode(encoded).ifPresent(credentials -> {
            String text = new String(sent, StandardCharsets.UTF_8);
            String[] fields = text.split("\0", -1);
            if (fields.length != 3 || !fields[1].equals(credentials.user()) || !fields[2].equals(credentials.password())) {
                throw new AssertionError("decoded " + credentials + " from " + text);
            }
        });
    }
}

package org.letterbox.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The MTA-STS policy (RFC 8461 §3.2) a domain served here publishes at
 * {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt}, and the id its {@code _mta-sts} TXT record carries: a
 * digest of the text, so that the id changes exactly when the policy does.
 *
 * @param mode {@code enforce} or {@code testing}
 * @param mx the host names senders may deliver to
 * @param maxAgeSeconds how long senders keep the policy
 */
public record MtaStsPolicyFile(String mode, List<String> mx, long maxAgeSeconds) {

    /** A week, as RFC 8461 §3.2 suggests at least; senders fetch again when the id changes. */
    public static final long DEFAULT_MAX_AGE_SECONDS = 604_800;

    public MtaStsPolicyFile {
        if (!mode.equals("enforce") && !mode.equals("testing")) {
            throw new IllegalArgumentException("MTA-STS mode must be enforce or testing, not " + mode);
        }
        mx = List.copyOf(mx);
    }

    /** Enforced, for mail to {@code hostname} only. */
    public static MtaStsPolicyFile enforcing(String hostname) {
        return new MtaStsPolicyFile("enforce", List.of(hostname), DEFAULT_MAX_AGE_SECONDS);
    }

    /** The policy file, CRLF line endings as RFC 8461 §3.2 writes them. */
    public String text() {
        StringBuilder text = new StringBuilder("version: STSv1\r\nmode: ").append(mode).append("\r\n");
        mx.forEach(host -> text.append("mx: ").append(host).append("\r\n"));
        return text.append("max_age: ").append(maxAgeSeconds).append("\r\n").toString();
    }

    /** 16 hexadecimal digits of the text's SHA-256 (RFC 8461 §3.1 allows 1 to 32 letters and digits). */
    public String id() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text().getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

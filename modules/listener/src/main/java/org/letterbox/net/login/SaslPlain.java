package org.letterbox.net.login;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The SASL PLAIN message (RFC 4616): base64 of {@code [authzid] NUL authcid NUL passwd}. An authorization identity
 * other than the user's own (delegation) is refused, as is anything malformed: bad base64, the wrong number of
 * fields, or bytes that are not UTF-8.
 */
public final class SaslPlain {

    /** The user name and password a client sent. */
    public record Credentials(String user, String password) {
    }

    private SaslPlain() {
    }

    public static Optional<Credentials> decode(String base64) {
        if (base64 == null) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return Optional.empty();
        }
        String[] fields = text.split("\0", -1);
        if (fields.length != 3 || fields[1].isEmpty() || (!fields[0].isEmpty() && !fields[0].equalsIgnoreCase(fields[1]))) {
            return Optional.empty();
        }
        return Optional.of(new Credentials(fields[1], fields[2]));
    }
}

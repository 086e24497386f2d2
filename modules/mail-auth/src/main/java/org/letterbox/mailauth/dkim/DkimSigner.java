package org.letterbox.mailauth.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Signs a message with one or more keys of a domain (dual signing: RSA and Ed25519), relaxed/relaxed, over the
 * usual header set with From and Subject over-signed (listed once more than they occur, so that no one can add
 * another). The result is the DKIM-Signature header fields to put at the top of the message, each ending in CRLF;
 * the message itself is not changed.
 */
public final class DkimSigner {

    /** The header fields signed when present, in this order. */
    public static final List<String> SIGNED_HEADERS = List.of("From", "To", "Cc", "Subject", "Date", "Message-ID",
        "Reply-To", "In-Reply-To", "References", "MIME-Version", "Content-Type", "Content-Transfer-Encoding");
    /** The header fields signed once more than they occur. */
    public static final List<String> OVERSIGNED = List.of("From", "Subject");

    private DkimSigner() {
    }

    /** The DKIM-Signature fields for {@code message}, one per key, in the order of {@code keys}. */
    public static List<String> sign(InputStream message, List<DkimKey> keys, Instant now) throws IOException {
        HeaderBlock headers = HeaderBlock.read(message);
        Canonicalization.BodyHasher body;
        try {
            body = Canonicalization.RELAXED.body(MessageDigest.getInstance("SHA-256"), Long.MAX_VALUE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        message.transferTo(body);
        String bodyHash = Base64.getEncoder().encodeToString(body.finish());

        List<String> names = new ArrayList<>();
        List<HeaderBlock.Field> signed = new ArrayList<>();
        Map<String, Integer> used = new HashMap<>();
        for (String name : SIGNED_HEADERS) {
            List<HeaderBlock.Field> present = headers.all(name);
            for (int i = present.size() - 1; i >= 0; i--) {
                names.add(name);
                signed.add(present.get(i));
            }
            used.put(name.toLowerCase(Locale.ROOT), present.size());
        }
        for (String name : OVERSIGNED) {
            names.add(name);
        }
        List<String> result = new ArrayList<>();
        for (DkimKey key : keys) {
            String value = " v=1; a=" + key.algorithm().tag() + "; c=relaxed/relaxed; d=" + key.domain()
                + "; s=" + key.selector() + ";\r\n\tt=" + now.getEpochSecond() + "; h=" + String.join(":", names)
                + ";\r\n\tbh=" + bodyHash + ";\r\n\tb=";
            StringBuilder data = new StringBuilder();
            for (HeaderBlock.Field field : signed) {
                data.append(Canonicalization.RELAXED.header(field.raw()));
            }
            String canonical = Canonicalization.RELAXED.header("DKIM-Signature:" + value);
            data.append(canonical, 0, canonical.length() - 2);
            byte[] signature = Signatures.sign(key, data.toString());
            result.add("DKIM-Signature:" + value + Signatures.fold(Base64.getEncoder().encodeToString(signature)) + "\r\n");
        }
        return result;
    }
}

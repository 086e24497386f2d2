package org.letterbox.mailauth.dkim;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import org.letterbox.dns.DnsAnswer;

/**
 * Finds the public key of a selector in DNS ({@code selector._domainkey.domain}, RFC 6376 §3.6.2), as DKIM and ARC
 * both look them up: a failed lookup is temporary, a missing, revoked, malformed or mistyped key permanent, and RSA
 * keys under 1,024 bits are refused (RFC 8301).
 */
public final class KeyRecords {

    /** What a lookup found. */
    public sealed interface Lookup permits Found, Failed {
    }

    /** The key. */
    public record Found(PublicKey key) implements Lookup {
    }

    /** No usable key: {@code status} is {@code TEMPERROR} or {@code PERMERROR}. */
    public record Failed(DkimResult.Status status, String reason) implements Lookup {
    }

    private final Function<String, DnsAnswer<String>> txt;

    /** @param txt the TXT records of a name */
    public KeyRecords(Function<String, DnsAnswer<String>> txt) {
        this.txt = txt;
    }

    public Lookup find(DkimAlgorithm algorithm, String selector, String domain) {
        DnsAnswer<String> records = txt.apply(selector + "._domainkey." + domain);
        if (records instanceof DnsAnswer.TemporaryFailure<String> failure) {
            return new Failed(DkimResult.Status.TEMPERROR, "key lookup failed: " + failure.reason());
        }
        if (!(records instanceof DnsAnswer.Found<String> found) || found.values().isEmpty()) {
            return permanent("no key record");
        }
        Optional<TagList> key = TagList.parse(found.values().get(0));
        if (key.isEmpty()) {
            return permanent("malformed key record");
        }
        String keyType = key.get().compact("k").orElse("rsa").toLowerCase(Locale.ROOT);
        if (!keyType.equals(algorithm.keyType())) {
            return permanent("key type " + keyType + " does not fit " + algorithm.tag());
        }
        String p = key.get().compact("p").orElse("");
        if (p.isEmpty()) {
            return permanent("key revoked");
        }
        PublicKey publicKey;
        try {
            publicKey = DkimKey.publicKey(algorithm, Base64.getDecoder().decode(p));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return permanent("unusable key: " + e.getMessage());
        }
        if (publicKey instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 1024) {
            return permanent("RSA key shorter than 1024 bits");
        }
        return new Found(publicKey);
    }

    private static Failed permanent(String reason) {
        return new Failed(DkimResult.Status.PERMERROR, reason);
    }
}

package org.letterbox.web;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ACME challenges under way: for http-01 (RFC 8555 §8.3) a token and the key authorization to answer at
 * {@code /.well-known/acme-challenge/TOKEN}; for tls-alpn-01 (RFC 8737) a name and the TLS context holding its
 * validation certificate, served to a ClientHello that asks for {@code acme-tls/1} with that name. The certificate
 * manager adds one before it asks the CA to check it and removes it after.
 */
public final class AcmeChallenges {

    /** Tokens are base64url (RFC 8555 §8.1) and at least 128 bits; this bounds what a lookup accepts. */
    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{16,128}");

    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final Map<String, javax.net.ssl.SSLContext> tlsAlpn = new ConcurrentHashMap<>();

    /** A tls-alpn-01 validation certificate for {@code name}, in a TLS context of its own. */
    public void addTlsAlpn(String name, javax.net.ssl.SSLContext validation) {
        tlsAlpn.put(name.toLowerCase(java.util.Locale.ROOT), validation);
    }

    public void removeTlsAlpn(String name) {
        tlsAlpn.remove(name.toLowerCase(java.util.Locale.ROOT));
    }

    Optional<javax.net.ssl.SSLContext> tlsAlpn(String name) {
        return Optional.ofNullable(tlsAlpn.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    public void add(String token, String keyAuthorization) {
        if (!TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("not an ACME token: " + token);
        }
        answers.put(token, keyAuthorization);
    }

    public void remove(String token) {
        answers.remove(token);
    }

    Optional<String> answer(String token) {
        return TOKEN.matcher(token).matches() ? Optional.ofNullable(answers.get(token)) : Optional.empty();
    }
}

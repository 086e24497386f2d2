package org.letterbox.web;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ACME http-01 challenges (RFC 8555 §8.3) under way: a token and the key authorization to answer at
 * {@code /.well-known/acme-challenge/TOKEN}. The certificate manager adds one before it asks the CA to check it
 * and removes it after.
 */
public final class AcmeChallenges {

    /** Tokens are base64url (RFC 8555 §8.1) and at least 128 bits; this bounds what a lookup accepts. */
    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{16,128}");

    private final Map<String, String> answers = new ConcurrentHashMap<>();

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

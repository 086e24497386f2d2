package org.letterbox.store.account;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes in the form {@code pbkdf2-sha256$ITERATIONS$SALT$HASH} (salt and hash in Base64), computed with
 * the JDK's PBKDF2-HMAC-SHA256. The iteration count is stored with each hash, so it can be raised later without
 * invalidating existing passwords.
 */
public final class PasswordHasher {

    /** OWASP's current recommendation for PBKDF2-HMAC-SHA256 (2023 onwards). */
    public static final int DEFAULT_ITERATIONS = 600_000;
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private final int iterations;
    private final SecureRandom random = new SecureRandom();
    private final java.util.concurrent.atomic.AtomicLong derivations = new java.util.concurrent.atomic.AtomicLong();

    public PasswordHasher() {
        this(DEFAULT_ITERATIONS);
    }

    /** @param iterations PBKDF2 iterations for new hashes; tests may lower it, production never should */
    public PasswordHasher(int iterations) {
        this.iterations = iterations;
    }

    public String hash(CharSequence password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return stored(salt, counted(password, salt, iterations));
    }

    /**
     * A stored hash in the form new hashes have, with a random salt and a random value that no known password
     * derives to, made without a derivation: checking a password against it costs what checking a real one costs.
     */
    public String decoy() {
        byte[] salt = new byte[SALT_BYTES];
        byte[] hash = new byte[HASH_BITS / 8];
        random.nextBytes(salt);
        random.nextBytes(hash);
        return stored(salt, hash);
    }

    private String stored(byte[] salt, byte[] hash) {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /**
     * True when {@code stored} was made with weaker parameters than new hashes get (fewer iterations, or another
     * scheme), so that it should be replaced after the next successful login.
     */
    public boolean needsRehash(String stored) {
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            return true;
        }
        try {
            return Integer.parseInt(parts[1]) < iterations;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** What new hashes are made with, for log lines. */
    public String parameters() {
        return SCHEME + " " + iterations + " iterations";
    }

    /** True when {@code password} matches {@code stored}; compares in constant time. */
    public boolean verify(CharSequence password, String stored) {
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            return false;
        }
        int storedIterations;
        try {
            storedIterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return false;
        }
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        return MessageDigest.isEqual(expected, counted(password, salt, storedIterations));
    }

    /** Slow derivations made so far (hash and verify), so that tests and status can see what logins cost. */
    public long derivations() {
        return derivations.get();
    }

    private byte[] counted(CharSequence password, byte[] salt, int iterations) {
        derivations.incrementAndGet();
        return derive(password, salt, iterations);
    }

    private static byte[] derive(CharSequence password, byte[] salt, int iterations) {
        char[] chars = new char[password.length()];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = password.charAt(i);
        }
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
            java.util.Arrays.fill(chars, '\0');
        }
    }
}

package org.letterbox.mailauth.dkim;

import java.util.Locale;

/** The signing algorithms we sign and verify with: RSA-SHA256 (RFC 6376) and Ed25519-SHA256 (RFC 8463). */
public enum DkimAlgorithm {
    RSA_SHA256("rsa-sha256", "rsa", "SHA256withRSA"),
    ED25519_SHA256("ed25519-sha256", "ed25519", "Ed25519");

    private final String tag;
    private final String keyType;
    private final String jcaSignature;

    DkimAlgorithm(String tag, String keyType, String jcaSignature) {
        this.tag = tag;
        this.keyType = keyType;
        this.jcaSignature = jcaSignature;
    }

    /** The {@code a=} value. */
    public String tag() {
        return tag;
    }

    /** The {@code k=} value of the key record. */
    public String keyType() {
        return keyType;
    }

    String jcaSignature() {
        return jcaSignature;
    }

    /** The algorithm an {@code a=} value names; empty for one we do not know (rsa-sha1 among them: RFC 8301). */
    public static java.util.Optional<DkimAlgorithm> ofTag(String tag) {
        for (DkimAlgorithm algorithm : values()) {
            if (algorithm.tag.equals(tag.toLowerCase(Locale.ROOT))) {
                return java.util.Optional.of(algorithm);
            }
        }
        return java.util.Optional.empty();
    }
}

package org.letterbox.delivery.tls;

import java.util.Locale;

/**
 * A destination domain's TLS policy set in the configuration ({@code delivery.tlsPolicies}), above anything DNS
 * says. {@link #toString()} is the file's spelling.
 */
public enum TlsOverride {
    /** Never STARTTLS: for a peer whose TLS is broken beyond repair. */
    NONE,
    /** STARTTLS must succeed; any certificate is taken. */
    REQUIRE_TLS,
    /** STARTTLS must succeed with a certificate valid for the MX host name (WebPKI, as MTA-STS checks it). */
    VERIFY;

    public static TlsOverride parse(String text) {
        for (TlsOverride value : values()) {
            if (value.toString().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return value;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not one of none, require-tls, verify");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

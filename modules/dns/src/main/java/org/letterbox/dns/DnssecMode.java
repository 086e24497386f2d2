package org.letterbox.dns;

import java.util.Locale;

/**
 * Where DNSSEC validation (which DANE needs) comes from. {@link #toString()} is the configuration file's spelling.
 */
public enum DnssecMode {
    /** We validate answers ourselves, from the root's trust anchors (dnsjava's validating resolver). */
    VALIDATE,
    /**
     * We trust the AD flag of the configured resolvers: only for a validating resolver on this machine (unbound on
     * 127.0.0.1), as the path to it could be forged otherwise.
     */
    RESOLVER,
    /** No DNSSEC, so no DANE. */
    OFF;

    /** The file's spelling; {@code off} unquoted reaches us as {@code false} from some YAML readers, so that counts too. */
    public static DnssecMode parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("false") || value.equals("no")) {
            return OFF;
        }
        for (DnssecMode mode : values()) {
            if (mode.toString().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not one of validate, resolver, off");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

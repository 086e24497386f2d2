package org.letterbox.net;

import java.util.Locale;

import javax.net.ssl.SSLContext;

import org.apache.james.protocols.netty.Encryption;

/**
 * How a listener speaks TLS, the same for every protocol: {@code none} (plain), {@code starttls} (plain, upgraded
 * by the client's STARTTLS or STLS), {@code implicit} (TLS from the first byte). Its {@link #toString()} is the
 * spelling of the configuration file.
 */
public enum TlsMode {
    NONE,
    STARTTLS,
    IMPLICIT;

    /** The protocol versions every listener offers. */
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** James's Netty encryption for this mode, or null for {@link #NONE}. */
    public Encryption encryption(SSLContext context) {
        return switch (this) {
            case NONE -> null;
            case STARTTLS -> new ListenerEncryption(context, true, PROTOCOLS);
            case IMPLICIT -> new ListenerEncryption(context, false, PROTOCOLS);
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

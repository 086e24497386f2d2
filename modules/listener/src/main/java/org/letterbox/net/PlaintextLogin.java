package org.letterbox.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The one rule every protocol applies to a password sent before TLS (SMTP AUTH, IMAP LOGIN and AUTHENTICATE, POP3
 * USER/PASS and AUTH): it is accepted on an encrypted connection, and in plain text only from loopback, when the
 * listener's {@code plaintextLoginOnLoopback} allows it.
 */
public final class PlaintextLogin {

    private PlaintextLogin() {
    }

    /**
     * @param mode the listener's TLS mode
     * @param tlsStarted whether this connection has completed STARTTLS
     * @param allowedOnLoopback the listener's {@code plaintextLoginOnLoopback}
     * @param client the client's address
     */
    public static boolean allowed(TlsMode mode, boolean tlsStarted, boolean allowedOnLoopback, SocketAddress client) {
        if (tlsStarted || mode == TlsMode.IMPLICIT) {
            return true;
        }
        return allowedOnLoopback && isLoopback(client);
    }

    /** True for a client on 127.0.0.0/8 or ::1; never a name lookup. */
    public static boolean isLoopback(SocketAddress client) {
        if (!(client instanceof InetSocketAddress socket)) {
            return false;
        }
        InetAddress address = socket.getAddress();
        return address != null && address.isLoopbackAddress();
    }
}

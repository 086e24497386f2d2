package org.letterbox.pop3;

import org.letterbox.net.StartTlsLineFramer;
import org.letterbox.net.TlsUpgradePause;

/**
 * POP3's line framer: refuses text pipelined behind STLS, and stops reading at the STLS line until TLS is in place
 * ({@link TlsUpgradePause}). Without the pause about one upgrade in twenty failed: the client's ClientHello, sent
 * the moment it read {@code +OK}, reached this framer before the TLS handler and was taken for text injected after
 * STLS, so the connection was closed mid-handshake.
 */
final class StlsLineFramer extends StartTlsLineFramer {

    StlsLineFramer(int maxLineLength) {
        super(maxLineLength, "STLS", false, TlsUpgradePause::pauseUntilTls);
    }
}

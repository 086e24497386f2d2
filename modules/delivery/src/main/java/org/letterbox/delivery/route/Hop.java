package org.letterbox.delivery.route;

import java.net.InetSocketAddress;
import java.util.Optional;

import org.letterbox.delivery.client.SmtpConnection;

/** The server a result came from: its host name, the address connected to, and the TLS used, if any. */
public record Hop(String host, InetSocketAddress address, Optional<SmtpConnection.TlsInfo> tls) {

    /** For logs: {@code mx.example.com [192.0.2.1]:25 TLSv1.3 ...}. */
    @Override
    public String toString() {
        return host + " [" + address.getAddress().getHostAddress() + "]:" + address.getPort() + " tls="
            + tls.map(SmtpConnection.TlsInfo::toString).orElse("none");
    }
}

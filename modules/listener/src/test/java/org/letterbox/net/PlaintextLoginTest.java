package org.letterbox.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

/** The plain-text password rule every protocol shares. */
class PlaintextLoginTest {

    private static final InetSocketAddress LOOPBACK_V4 = new InetSocketAddress("127.0.0.9", 40000);
    private static final InetSocketAddress LOOPBACK_V6 = new InetSocketAddress("::1", 40000);
    private static final InetSocketAddress REMOTE = new InetSocketAddress("192.0.2.7", 40000);

    @Test
    void anEncryptedConnectionMaySendAPasswordFromAnywhere() {
        assertThat(PlaintextLogin.allowed(TlsMode.IMPLICIT, false, false, REMOTE)).isTrue();
        assertThat(PlaintextLogin.allowed(TlsMode.STARTTLS, true, false, REMOTE)).isTrue();
    }

    @Test
    void inPlainTextOnlyLoopbackMayAndOnlyWhenTheListenerAllowsIt() {
        assertThat(PlaintextLogin.allowed(TlsMode.STARTTLS, false, true, LOOPBACK_V4)).isTrue();
        assertThat(PlaintextLogin.allowed(TlsMode.NONE, false, true, LOOPBACK_V6)).isTrue();
        assertThat(PlaintextLogin.allowed(TlsMode.STARTTLS, false, true, REMOTE)).isFalse();
        assertThat(PlaintextLogin.allowed(TlsMode.STARTTLS, false, false, LOOPBACK_V4)).isFalse();
        assertThat(PlaintextLogin.allowed(TlsMode.NONE, false, true, null)).isFalse();
    }
}

package org.letterbox.pop3;

import org.letterbox.net.TlsMode;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

import javax.net.ssl.SSLContext;

/** Everything one POP3 listener needs, as an immutable value. Build it with {@link #builder()}. */
public record Pop3Settings(
    InetSocketAddress address,
    TlsMode tlsMode,
    SSLContext sslContext,
    String hostname,
    boolean plaintextLoginOnLoopback,
    Duration idleTimeout,
    int maxConnections,
    int maxConnectionsPerIp,
    org.letterbox.net.TrustedNetworks trustedNetworks,
    Duration failedLoginDelay,
    int protocolThreads,
    int maxFailedLoginsPerConnection,
    org.letterbox.net.login.LoginGuard loginGuard,
    Duration preAuthIdleTimeout,
    int maxPreAuthConnectionsPerIp,
    org.letterbox.net.proxy.ProxyProtocol proxyProtocol) {


    /** Shortest inactivity timeout: RFC 1939 §3 asks for at least 10 minutes. */
    public static final int MIN_IDLE_TIMEOUT_SECONDS = 10 * 60;
    /** Shortest time a connection may stay before login. */
    public static final int MIN_PRE_AUTH_IDLE_TIMEOUT_SECONDS = 10;

    /** Default of {@code pop3.idleTimeoutSeconds}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 10 * 60;
    /** Default of {@code pop3.maxConnections}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_MAX_CONNECTIONS = 200;
    /** Default of {@code pop3.maxConnectionsPerIp}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 20;
    /** Default of {@code pop3.failedLoginDelayMillis}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_FAILED_LOGIN_DELAY_MILLIS = 2000;
    /** Default of {@code pop3.preAuthIdleTimeoutSeconds}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_PRE_AUTH_IDLE_TIMEOUT_SECONDS = 60;
    /** Default of {@code pop3.maxPreAuthConnectionsPerIp}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_MAX_PRE_AUTH_CONNECTIONS_PER_IP = 10;

    public Pop3Settings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(loginGuard, "loginGuard");
        if (preAuthIdleTimeout.toSeconds() < MIN_PRE_AUTH_IDLE_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException("preAuthIdleTimeout must be at least 10 seconds, not " + preAuthIdleTimeout);
        }
        if (maxPreAuthConnectionsPerIp < 1) {
            throw new IllegalArgumentException("maxPreAuthConnectionsPerIp must be at least 1");
        }
        if (maxFailedLoginsPerConnection < 1) {
            throw new IllegalArgumentException("maxFailedLoginsPerConnection must be at least 1");
        }
        if (tlsMode != TlsMode.NONE && sslContext == null) {
            throw new IllegalArgumentException("TLS mode " + tlsMode + " needs an SSL context");
        }
        if (idleTimeout.toSeconds() < MIN_IDLE_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException("the POP3 inactivity timeout must be at least 10 minutes (RFC 1939), not " + idleTimeout);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the defaults of the quick start. */
    public static final class Builder {
        private InetSocketAddress address = new InetSocketAddress("127.0.0.1", 1110);
        private TlsMode tlsMode = TlsMode.NONE;
        private SSLContext sslContext;
        private String hostname = "localhost";
        private boolean plaintextLoginOnLoopback = true;
        private Duration idleTimeout = Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS);
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerIp = DEFAULT_MAX_CONNECTIONS_PER_IP;
        private org.letterbox.net.TrustedNetworks trustedNetworks = org.letterbox.net.TrustedNetworks.loopback();
        private org.letterbox.net.proxy.ProxyProtocol proxyProtocol = org.letterbox.net.proxy.ProxyProtocol.off();
        private Duration failedLoginDelay = Duration.ofMillis(DEFAULT_FAILED_LOGIN_DELAY_MILLIS);
        private int maxFailedLoginsPerConnection = 3;
        private Duration preAuthIdleTimeout = Duration.ofSeconds(DEFAULT_PRE_AUTH_IDLE_TIMEOUT_SECONDS);
        private int maxPreAuthConnectionsPerIp = DEFAULT_MAX_PRE_AUTH_CONNECTIONS_PER_IP;
        private org.letterbox.net.login.LoginGuard loginGuard;
        private int protocolThreads = 8;

        /** Address and port (default 127.0.0.1:1110). */
        public Builder address(InetSocketAddress address) {
            this.address = address;
            return this;
        }

        /** TLS mode and the context it uses (default NONE). */
        public Builder tls(TlsMode mode, SSLContext context) {
            this.tlsMode = mode;
            this.sslContext = context;
            return this;
        }

        /** Name in the greeting (default "localhost"). */
        public Builder hostname(String hostname) {
            this.hostname = hostname;
            return this;
        }

        /** Allow USER/PASS and AUTH without TLS on loopback connections (default true). */
        public Builder plaintextLoginOnLoopback(boolean allowed) {
            this.plaintextLoginOnLoopback = allowed;
            return this;
        }

        /** A session idle this long is closed; at least 10 minutes (default 10 minutes). */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /** Most simultaneous connections, in total and per client IP (defaults 200 and 20). */
        /** Clients exempt from the per-IP cap (default: loopback). */
        public Builder trustedNetworks(org.letterbox.net.TrustedNetworks networks) {
            this.trustedNetworks = networks;
            return this;
        }

        public Builder maxConnections(int total, int perIp) {
            this.maxConnections = total;
            this.maxConnectionsPerIp = perIp;
            return this;
        }

        /** Pause before answering a failed login (default 2 s). */
        public Builder failedLoginDelay(Duration delay) {
            this.failedLoginDelay = delay;
            return this;
        }

        /** Threads that run POP3 commands, off Netty's I/O loops (default 8). */
        public Builder protocolThreads(int threads) {
            this.protocolThreads = threads;
            return this;
        }

        /** Failed logins on one connection before it is closed (default 3). */
        public Builder maxFailedLoginsPerConnection(int count) {
            this.maxFailedLoginsPerConnection = count;
            return this;
        }

        /** The failed-login guard, shared with the other listeners (default: one of this listener's own). */
        public Builder loginGuard(org.letterbox.net.login.LoginGuard guard) {
            this.loginGuard = guard;
            return this;
        }

        /** A connection that has not logged in is closed after this long without input (default 60 s). */
        public Builder preAuthIdleTimeout(Duration timeout) {
            this.preAuthIdleTimeout = timeout;
            return this;
        }

        /** Most connections from one address that have not logged in yet (default 10; trusted networks exempt). */
        public Builder maxPreAuthConnectionsPerIp(int count) {
            this.maxPreAuthConnectionsPerIp = count;
            return this;
        }

        /** Load balancers whose PROXY header names the client (default: none). */
        public Builder proxyProtocol(org.letterbox.net.proxy.ProxyProtocol proxy) {
            this.proxyProtocol = proxy;
            return this;
        }

        public Pop3Settings build() {
            return new Pop3Settings(address, tlsMode, sslContext, hostname, plaintextLoginOnLoopback, idleTimeout,
                maxConnections, maxConnectionsPerIp, trustedNetworks, failedLoginDelay, protocolThreads,
                maxFailedLoginsPerConnection,
                loginGuard != null ? loginGuard : new org.letterbox.net.login.LoginGuard(org.letterbox.net.login.LoginGuard.Settings.DEFAULTS),
                preAuthIdleTimeout, maxPreAuthConnectionsPerIp, proxyProtocol);
        }
    }
}

package org.letterbox.imap;

import org.letterbox.net.TlsMode;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

import javax.net.ssl.SSLContext;

/** Everything one IMAP listener needs, as an immutable value. Build it with {@link #builder()}. */
public record ImapSettings(
    InetSocketAddress address,
    TlsMode tlsMode,
    SSLContext sslContext,
    String hostname,
    boolean plaintextLoginOnLoopback,
    int maxLineLength,
    int maxLiteralSize,
    int inMemoryLiteralLimit,
    Duration idleTimeout,
    int maxConnections,
    int maxConnectionsPerIp,
    org.letterbox.net.TrustedNetworks trustedNetworks,
    int maxConnectionsPerUser,
    Duration failedLoginDelay,
    int ioThreads,
    org.letterbox.net.login.LoginGuard loginGuard,
    int preAuthLiteralLimit,
    Duration preAuthIdleTimeout,
    int maxPreAuthConnectionsPerIp,
    org.letterbox.net.proxy.ProxyProtocol proxyProtocol) {


    /** Shortest inactivity timeout: RFC 9051 §5.4 asks for at least 30 minutes. */
    public static final int MIN_IDLE_TIMEOUT_SECONDS = 30 * 60;
    /** Shortest time a connection may stay before login. */
    public static final int MIN_PRE_AUTH_IDLE_TIMEOUT_SECONDS = 10;
    /** Smallest literal limit before login: a LOGIN with long quoted credentials must still fit. */
    public static final int MIN_PRE_AUTH_LITERAL_LIMIT = 1024;

    /** Default of {@code imap.maxLineLength}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_MAX_LINE_LENGTH = 64 * 1024;
    /** Default of {@code imap.maxLiteralSize}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_MAX_LITERAL_SIZE = 64 * 1024 * 1024;
    /** Default of {@code imap.inMemoryLiteralLimit}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_IN_MEMORY_LITERAL_LIMIT = 1024 * 1024;
    /** Default of {@code imap.idleTimeoutSeconds}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 30 * 60;
    /** Default of {@code imap.maxConnections}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_MAX_CONNECTIONS = 500;
    /** Default of {@code imap.preAuthLiteralLimit}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_PRE_AUTH_LITERAL_LIMIT = 8 * 1024;
    /** Default of {@code imap.preAuthIdleTimeoutSeconds}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_PRE_AUTH_IDLE_TIMEOUT_SECONDS = 60;
    /** Default of {@code imap.maxPreAuthConnectionsPerIp}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_MAX_PRE_AUTH_CONNECTIONS_PER_IP = 10;
    /** Default of {@code imap.maxConnectionsPerIp}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 50;
    /** Default of {@code imap.maxConnectionsPerUser}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_USER = 20;
    /** Default of {@code imap.failedLoginDelayMillis}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_FAILED_LOGIN_DELAY_MILLIS = 2000;

    public ImapSettings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(tlsMode, "tlsMode");
        if (tlsMode != TlsMode.NONE && sslContext == null) {
            throw new IllegalArgumentException("TLS mode " + tlsMode + " needs an SSL context");
        }
        Objects.requireNonNull(loginGuard, "loginGuard");
        if (preAuthLiteralLimit < MIN_PRE_AUTH_LITERAL_LIMIT) {
            throw new IllegalArgumentException("preAuthLiteralLimit must be at least " + MIN_PRE_AUTH_LITERAL_LIMIT + " bytes, not " + preAuthLiteralLimit);
        }
        if (maxPreAuthConnectionsPerIp < 1) {
            throw new IllegalArgumentException("maxPreAuthConnectionsPerIp must be at least 1");
        }
        if (preAuthIdleTimeout.toSeconds() < MIN_PRE_AUTH_IDLE_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException("preAuthIdleTimeout must be at least 10 seconds, not " + preAuthIdleTimeout);
        }
        if (idleTimeout.toSeconds() < MIN_IDLE_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException("the IMAP inactivity timeout must be at least 30 minutes (RFC 9051), not " + idleTimeout);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the defaults of the quick start. */
    public static final class Builder {
        private InetSocketAddress address = new InetSocketAddress("127.0.0.1", 1143);
        private TlsMode tlsMode = TlsMode.NONE;
        private SSLContext sslContext;
        private String hostname = "localhost";
        private boolean plaintextLoginOnLoopback = true;
        private int maxLineLength = DEFAULT_MAX_LINE_LENGTH;
        private int maxLiteralSize = DEFAULT_MAX_LITERAL_SIZE;
        private int inMemoryLiteralLimit = DEFAULT_IN_MEMORY_LITERAL_LIMIT;
        private Duration idleTimeout = Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS);
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private org.letterbox.net.login.LoginGuard loginGuard;
        private int preAuthLiteralLimit = DEFAULT_PRE_AUTH_LITERAL_LIMIT;
        private Duration preAuthIdleTimeout = Duration.ofSeconds(DEFAULT_PRE_AUTH_IDLE_TIMEOUT_SECONDS);
        private int maxPreAuthConnectionsPerIp = DEFAULT_MAX_PRE_AUTH_CONNECTIONS_PER_IP;
        private int maxConnectionsPerIp = DEFAULT_MAX_CONNECTIONS_PER_IP;
        private org.letterbox.net.TrustedNetworks trustedNetworks = org.letterbox.net.TrustedNetworks.loopback();
        private org.letterbox.net.proxy.ProxyProtocol proxyProtocol = org.letterbox.net.proxy.ProxyProtocol.off();
        private int maxConnectionsPerUser = DEFAULT_MAX_CONNECTIONS_PER_USER;
        private Duration failedLoginDelay = Duration.ofMillis(DEFAULT_FAILED_LOGIN_DELAY_MILLIS);
        private int ioThreads = 2;

        /** Address and port to listen on (default 127.0.0.1:1143). */
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

        /** Allow LOGIN/AUTHENTICATE without TLS on loopback connections, as Dovecot does (default true). */
        public Builder plaintextLoginOnLoopback(boolean allowed) {
            this.plaintextLoginOnLoopback = allowed;
            return this;
        }

        /** Longest command line (default 64 KiB). */
        public Builder maxLineLength(int bytes) {
            this.maxLineLength = bytes;
            return this;
        }

        /** Largest literal, e.g. an APPENDed message; larger ones get NO [TOOBIG] (default 64 MiB). */
        public Builder maxLiteralSize(int bytes) {
            this.maxLiteralSize = bytes;
            return this;
        }

        /** Literals above this size are spooled to a temporary file instead of memory (default 1 MiB). */
        public Builder inMemoryLiteralLimit(int bytes) {
            this.inMemoryLiteralLimit = bytes;
            return this;
        }

        /** A connection idle this long is closed; at least 30 minutes (default 30 minutes). */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /** Clients exempt from the per-IP cap (default: loopback). */
        public Builder trustedNetworks(org.letterbox.net.TrustedNetworks networks) {
            this.trustedNetworks = networks;
            return this;
        }

        /** Most simultaneous connections (default 500). */
        public Builder maxConnections(int count) {
            this.maxConnections = count;
            return this;
        }

        /** Most simultaneous connections from one IP address (default 50). */
        public Builder maxConnectionsPerIp(int count) {
            this.maxConnectionsPerIp = count;
            return this;
        }

        /** Most simultaneous logged-in sessions of one user (default 20). */
        public Builder maxConnectionsPerUser(int count) {
            this.maxConnectionsPerUser = count;
            return this;
        }

        /** Pause before answering a failed login (default 2 s). */
        public Builder failedLoginDelay(Duration delay) {
            this.failedLoginDelay = delay;
            return this;
        }

        /** Netty I/O threads for this listener (default 2). */
        public Builder ioThreads(int threads) {
            this.ioThreads = threads;
            return this;
        }

        /** The failed-login guard, shared with the other listeners (default: one of this listener's own). */
        public Builder loginGuard(org.letterbox.net.login.LoginGuard guard) {
            this.loginGuard = guard;
            return this;
        }

        /** Largest literal accepted before login, at least 1 KiB (default 8 KiB); larger ones get BAD unread. */
        public Builder preAuthLiteralLimit(int bytes) {
            this.preAuthLiteralLimit = bytes;
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

        public ImapSettings build() {
            return new ImapSettings(address, tlsMode, sslContext, hostname, plaintextLoginOnLoopback, maxLineLength,
                maxLiteralSize, inMemoryLiteralLimit, idleTimeout, maxConnections, maxConnectionsPerIp, trustedNetworks,
                maxConnectionsPerUser, failedLoginDelay, ioThreads,
                loginGuard != null ? loginGuard : new org.letterbox.net.login.LoginGuard(org.letterbox.net.login.LoginGuard.Settings.DEFAULTS),
                preAuthLiteralLimit, preAuthIdleTimeout, maxPreAuthConnectionsPerIp, proxyProtocol);
        }
    }
}

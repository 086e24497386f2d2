package org.letterbox.smtp;

import org.letterbox.net.TlsMode;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

import javax.net.ssl.SSLContext;

/**
 * Everything one SMTP listener needs to know, as an immutable value. Build it with {@link #builder()}; every knob
 * has the default documented on its builder method.
 */
public record SmtpSettings(
    Role role,
    InetSocketAddress address,
    TlsMode tlsMode,
    SSLContext sslContext,
    String hostname,
    long maxMessageSize,
    int maxRecipients,
    int maxCommandLineLength,
    int maxDataLineLength,
    int maxConnections,
    int maxConnectionsPerIp,
    org.letterbox.net.TrustedNetworks trustedNetworks,
    Duration idleTimeout,
    Duration commandTimeout,
    Duration dataTimeout,
    int maxProtocolErrors,
    Duration failedLoginDelay,
    org.letterbox.net.login.LoginGuard loginGuard,
    int maxAuthFailuresPerConnection,
    boolean plaintextLoginOnLoopback,
    int spoolThreshold,
    int protocolThreads,
    int maxMessagesPerUserPerHour,
    int maxRecipientsPerUserPerHour,
    org.letterbox.mailauth.dkim.SigningKeys signingKeys,
    java.util.Optional<org.letterbox.mailauth.InboundChecks> inboundChecks,
    org.letterbox.net.TrustedNetworks inboundChecksExempt,
    org.letterbox.net.proxy.ProxyProtocol proxyProtocol) {

    /** MX accepts mail for local domains from anyone; SUBMISSION takes mail from authenticated users. */
    public enum Role {
        MX,
        SUBMISSION
    }


    /** Shortest command line limit: RFC 5321 §4.5.3.1.4 allows command lines of 512 octets. */
    public static final int MIN_COMMAND_LINE_LENGTH = 512;
    /** Shortest text line limit inside DATA: RFC 5321 §4.5.3.1.6 allows lines of 1,000 octets. */
    public static final int MIN_DATA_LINE_LENGTH = 1000;

    /** Default of {@code smtp.maxMessageSize}; {@code docs/configuration.md} shows it. */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 25L * 1024 * 1024;
    /** Default of {@code smtp.maxMessagesPerUserPerHour}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_MAX_MESSAGES_PER_USER_PER_HOUR = 300;
    /** Default of {@code smtp.maxRecipientsPerUserPerHour}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_MAX_RECIPIENTS_PER_USER_PER_HOUR = 1000;
    /** Default of {@code smtp.maxRecipients}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_MAX_RECIPIENTS = 100;
    /** Default of {@code smtp.maxCommandLineLength}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_MAX_COMMAND_LINE_LENGTH = 2048;
    /** Default of {@code smtp.maxDataLineLength}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_MAX_DATA_LINE_LENGTH = 64 * 1024;
    /** Default of {@code smtp.maxConnections}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_MAX_CONNECTIONS = 200;
    /** Default of {@code smtp.maxConnectionsPerIp}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 20;
    /** Default of {@code smtp.idleTimeoutSeconds}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 300;
    /** Default of {@code smtp.commandTimeoutSeconds}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_COMMAND_TIMEOUT_SECONDS = 300;
    /** Default of {@code smtp.dataTimeoutSeconds}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_DATA_TIMEOUT_SECONDS = 600;
    /** Default of {@code smtp.maxProtocolErrors}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_MAX_PROTOCOL_ERRORS = 10;
    /** Default of {@code smtp.failedLoginDelayMillis}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_FAILED_LOGIN_DELAY_MILLIS = 2000;
    /** Default of {@code smtp.spoolThreshold}; {@code docs/configuration.md} shows it. */
    public static final int DEFAULT_SPOOL_THRESHOLD = 256 * 1024;

    public SmtpSettings {
        Objects.requireNonNull(role, "role");
        if (maxCommandLineLength < MIN_COMMAND_LINE_LENGTH) {
            throw new IllegalArgumentException("maxCommandLineLength must be at least " + MIN_COMMAND_LINE_LENGTH
                + " (RFC 5321), not " + maxCommandLineLength);
        }
        if (maxDataLineLength < MIN_DATA_LINE_LENGTH) {
            throw new IllegalArgumentException("maxDataLineLength must be at least " + MIN_DATA_LINE_LENGTH
                + " (RFC 5321), not " + maxDataLineLength);
        }
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(tlsMode, "tlsMode");
        if (tlsMode != TlsMode.NONE && sslContext == null) {
            throw new IllegalArgumentException("TLS mode " + tlsMode + " needs an SSL context");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the defaults of the quick start. */
    public static final class Builder {
        private Role role = Role.MX;
        private InetSocketAddress address = new InetSocketAddress("127.0.0.1", 2525);
        private TlsMode tlsMode = TlsMode.NONE;
        private SSLContext sslContext;
        private String hostname = "localhost";
        private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private int maxRecipients = DEFAULT_MAX_RECIPIENTS;
        private int maxMessagesPerUserPerHour = DEFAULT_MAX_MESSAGES_PER_USER_PER_HOUR;
        private int maxRecipientsPerUserPerHour = DEFAULT_MAX_RECIPIENTS_PER_USER_PER_HOUR;
        private org.letterbox.mailauth.dkim.SigningKeys signingKeys = org.letterbox.mailauth.dkim.SigningKeys.NONE;
        private java.util.Optional<org.letterbox.mailauth.InboundChecks> inboundChecks = java.util.Optional.empty();
        private org.letterbox.net.TrustedNetworks inboundChecksExempt = org.letterbox.net.TrustedNetworks.of(java.util.List.of());
        private int maxCommandLineLength = DEFAULT_MAX_COMMAND_LINE_LENGTH;
        private int maxDataLineLength = DEFAULT_MAX_DATA_LINE_LENGTH;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerIp = DEFAULT_MAX_CONNECTIONS_PER_IP;
        private org.letterbox.net.TrustedNetworks trustedNetworks = org.letterbox.net.TrustedNetworks.loopback();
        private org.letterbox.net.proxy.ProxyProtocol proxyProtocol = org.letterbox.net.proxy.ProxyProtocol.off();
        private Duration idleTimeout = Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS);
        private Duration commandTimeout = Duration.ofSeconds(DEFAULT_COMMAND_TIMEOUT_SECONDS);
        private Duration dataTimeout = Duration.ofSeconds(DEFAULT_DATA_TIMEOUT_SECONDS);
        private int maxProtocolErrors = DEFAULT_MAX_PROTOCOL_ERRORS;
        private Duration failedLoginDelay = Duration.ofMillis(DEFAULT_FAILED_LOGIN_DELAY_MILLIS);
        private org.letterbox.net.login.LoginGuard loginGuard;
        private int maxAuthFailuresPerConnection = 3;
        private boolean plaintextLoginOnLoopback = true;
        private int spoolThreshold = DEFAULT_SPOOL_THRESHOLD;
        private int protocolThreads = 16;

        /** MX (default) or SUBMISSION. */
        public Builder role(Role role) {
            this.role = role;
            return this;
        }

        /** Address and port to listen on (default 127.0.0.1:2525). */
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

        /** Name used in the greeting, EHLO and Received headers (default "localhost"). */
        public Builder hostname(String hostname) {
            this.hostname = hostname;
            return this;
        }

        /** Largest message accepted, in bytes, advertised as SIZE (default 25 MiB). */
        public Builder maxMessageSize(long bytes) {
            this.maxMessageSize = bytes;
            return this;
        }

        /**
         * On submission, most messages and most recipients one user may send in any hour; past either, MAIL or RCPT
         * gets {@code 451 4.7.1} (defaults 300 and 1,000), so that a stolen password sends little spam.
         */
        public Builder perUserHourlyLimits(int messages, int recipients) {
            this.maxMessagesPerUserPerHour = messages;
            this.maxRecipientsPerUserPerHour = recipients;
            return this;
        }

        /** On submission, the DKIM keys each domain's mail is signed with (default none: nothing is signed). */
        public Builder signingKeys(org.letterbox.mailauth.dkim.SigningKeys keys) {
            this.signingKeys = keys;
            return this;
        }

        /**
         * On the MX, the SPF, DKIM and DMARC checks of mail from outside, and the client networks they are skipped for
         * (default: no checks; with checks, no network is exempt, loopback included).
         */
        public Builder inboundChecks(org.letterbox.mailauth.InboundChecks checks, org.letterbox.net.TrustedNetworks exempt) {
            this.inboundChecks = java.util.Optional.of(checks);
            this.inboundChecksExempt = exempt;
            return this;
        }

        /** Most recipients per message; more get 452 4.5.3 (default 100). */
        public Builder maxRecipients(int count) {
            this.maxRecipients = count;
            return this;
        }

        /** Longest command line, CRLF included (default 2048; RFC 5321 asks for at least 512). */
        public Builder maxCommandLineLength(int bytes) {
            this.maxCommandLineLength = bytes;
            return this;
        }

        /** Longest line inside DATA; a message with a longer line is refused whole with 500 5.5.2 (default 64 KiB). */
        public Builder maxDataLineLength(int bytes) {
            this.maxDataLineLength = bytes;
            return this;
        }

        /**
         * Longest time one command line may take to arrive once its first byte came, so a client cannot hold a
         * session by dripping a line a byte at a time (default 5 minutes, RFC 5321 §4.5.3.2).
         */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = timeout;
            return this;
        }

        /** Longest time from DATA to its final dot (default 10 minutes, RFC 5321 §4.5.3.2). */
        public Builder dataTimeout(Duration timeout) {
            this.dataTimeout = timeout;
            return this;
        }

        /** Most simultaneous connections on this listener (default 200). */
        /** Clients exempt from the per-IP cap (default: loopback). */
        public Builder trustedNetworks(org.letterbox.net.TrustedNetworks networks) {
            this.trustedNetworks = networks;
            return this;
        }

        public Builder maxConnections(int count) {
            this.maxConnections = count;
            return this;
        }

        /** Most simultaneous connections from one IP address (default 20). */
        public Builder maxConnectionsPerIp(int count) {
            this.maxConnectionsPerIp = count;
            return this;
        }

        /** A session that sends nothing for this long is closed (default 5 minutes, as RFC 5321 §4.5.3.2 suggests). */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /** After this many error replies in one session the connection is closed (default 10). */
        public Builder maxProtocolErrors(int count) {
            this.maxProtocolErrors = count;
            return this;
        }

        /** Pause before answering a failed AUTH (default 2 s). */
        public Builder failedLoginDelay(Duration delay) {
            this.failedLoginDelay = delay;
            return this;
        }

        /** The failed-login guard, shared with the other listeners (default: one of this listener's own). */
        public Builder loginGuard(org.letterbox.net.login.LoginGuard guard) {
            this.loginGuard = guard;
            return this;
        }

        /** Failed AUTHs on one connection before it is closed with {@code 421 4.7.0} (default 3). */
        public Builder maxAuthFailuresPerConnection(int count) {
            this.maxAuthFailuresPerConnection = count;
            return this;
        }

        /** Allow AUTH without TLS on loopback connections, as Dovecot does (default true). */
        public Builder plaintextLoginOnLoopback(boolean allowed) {
            this.plaintextLoginOnLoopback = allowed;
            return this;
        }

        /** Messages larger than this many bytes are spooled to a temporary file while received (default 256 KiB). */
        public Builder spoolThreshold(int bytes) {
            this.spoolThreshold = bytes;
            return this;
        }

        /**
         * Threads that run SMTP sessions: the listener's Netty I/O loops, each serving its share of the connections
         * (default 16). A session waits on its loop for the store's answer (the durable commit at the end of DATA),
         * so this bounds how many transactions can wait for a commit at once.
         */
        public Builder protocolThreads(int threads) {
            this.protocolThreads = threads;
            return this;
        }

        /** Load balancers whose PROXY header names the client (default: none). */
        public Builder proxyProtocol(org.letterbox.net.proxy.ProxyProtocol proxy) {
            this.proxyProtocol = proxy;
            return this;
        }

        public SmtpSettings build() {
            return new SmtpSettings(role, address, tlsMode, sslContext, hostname, maxMessageSize, maxRecipients,
                maxCommandLineLength, maxDataLineLength, maxConnections, maxConnectionsPerIp, trustedNetworks, idleTimeout,
                commandTimeout, dataTimeout, maxProtocolErrors, failedLoginDelay,
                loginGuard != null ? loginGuard : new org.letterbox.net.login.LoginGuard(org.letterbox.net.login.LoginGuard.Settings.DEFAULTS),
                maxAuthFailuresPerConnection, plaintextLoginOnLoopback,
                spoolThreshold, protocolThreads, maxMessagesPerUserPerHour, maxRecipientsPerUserPerHour, signingKeys,
                inboundChecks, inboundChecksExempt, proxyProtocol);
        }
    }
}

package org.letterbox.server.config;

import org.letterbox.net.TlsMode;
import org.letterbox.store.StoreBackend;
import org.letterbox.store.StoreConfig;
import org.letterbox.net.login.LoginGuard;
import org.letterbox.pop3.Pop3Settings;
import org.letterbox.imap.ImapSettings;
import org.letterbox.smtp.SmtpSettings;


/**
 * The whole of {@code conf/letterbox.yaml}. Every key is optional; a missing key takes the default shown in
 * {@code docs/configuration.md}. An unknown key stops start-up.
 *
 * @param hostname the name this server gives itself in greetings and Received headers, and in its self-signed certificate
 * @param dataDirectory where the store keeps its database; relative paths are relative to the working directory
 * @param store tuning of the store
 * @param admin the loopback endpoint through which {@code letterbox} (the CLI) manages a running server
 * @param trustedNetworks client networks (CIDR) exempt from every listener's per-IP connection cap, as Postfix
 *                        exempts {@code mynetworks} (default 127.0.0.0/8 and ::1/128; an empty list exempts none)
 * @param login the failed-login guard every listener shares
 * @param delivery how mail for other servers leaves the queue
 * @param dns the resolvers outbound delivery asks
 * @param dkim the rotation of DKIM signing keys
 * @param mailAuth the checks of mail from outside at the MX (SPF, DKIM, DMARC)
 * @param web the HTTPS listener for client autoconfiguration and the MTA-STS policy
 * @param acme automatic certificates
 * @param proxyProtocol load balancers in front of the listeners, whose PROXY header names the client
 */
public record ServerConfig(
    String hostname,
    String dataDirectory,
    TlsSettings tls,
    StoreSettings store,
    SmtpConfig smtp,
    ImapConfig imap,
    Pop3Config pop3,
    AdminConfig admin,
    java.util.List<String> trustedNetworks,
    LoginConfig login,
    DeliveryConfig delivery,
    DeliveryConfig.DnsConfig dns,
    DkimConfig dkim,
    MailAuthConfig mailAuth,
    WebConfig web,
    AcmeConfig acme,
    ProxyProtocolConfig proxyProtocol) {

    public ServerConfig {
        hostname = hostname == null ? "localhost" : hostname;
        dataDirectory = dataDirectory == null ? "./data" : dataDirectory;
        tls = tls == null ? new TlsSettings(null, null, null) : tls;
        store = store == null ? new StoreSettings(null, null, null, null, null, null, null, null, null, null, null, null, null) : store;
        smtp = smtp == null ? new SmtpConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null) : smtp;
        imap = imap == null ? new ImapConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null) : imap;
        pop3 = pop3 == null ? new Pop3Config(null, null, null, null, null, null, null, null, null) : pop3;
        admin = admin == null ? new AdminConfig(null, null) : admin;
        login = login == null ? new LoginConfig(null, null, null, null) : login;
        delivery = delivery == null ? DeliveryConfig.defaults() : delivery;
        dns = dns == null ? DeliveryConfig.DnsConfig.defaults() : dns;
        dkim = dkim == null ? new DkimConfig(null, null) : dkim;
        mailAuth = mailAuth == null ? new MailAuthConfig(null, null) : mailAuth;
        web = web == null ? new WebConfig(null, null, null, null, null, null, null, null) : web;
        acme = acme == null ? new AcmeConfig(null, null, null, null, null, null, null) : acme;
        proxyProtocol = proxyProtocol == null ? new ProxyProtocolConfig(null, null) : proxyProtocol;
        if (acme.enabled() && tls.certificate() != null) {
            throw new IllegalArgumentException("acme.enabled and tls.certificate exclude each other: ACME keeps its"
                + " certificate in the data directory");
        }
        trustedNetworks = trustedNetworks == null ? org.letterbox.net.TrustedNetworks.LOOPBACK : java.util.List.copyOf(trustedNetworks);
        try {
            org.letterbox.net.TrustedNetworks.of(trustedNetworks);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("trustedNetworks: " + e.getMessage());
        }
    }

    /** A configuration with every default. */
    public static ServerConfig defaults() {
        return new ServerConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * @param certificate PEM certificate chain (e.g. certbot's fullchain.pem); none: a self-signed certificate for
     *                    the hostname is made in the data directory
     * @param privateKey PEM PKCS#8 private key (certbot's privkey.pem)
     * @param reloadCheckSeconds how often the two files are checked for a change; a changed pair is loaded for new
     *                           connections without a restart (default 60)
     */
    public record TlsSettings(String certificate, String privateKey,
                              Integer reloadCheckSeconds) {
        public TlsSettings {
            reloadCheckSeconds = positive("tls.reloadCheckSeconds", reloadCheckSeconds, 60);
            if ((certificate == null) != (privateKey == null)) {
                throw new IllegalArgumentException("tls.certificate and tls.privateKey must be given together");
            }
        }
    }

    /**
     * One listener.
     *
     * @param enabled false to not open it (default true)
     * @param address IP address to bind (default 127.0.0.1; 0.0.0.0 for every interface)
     * @param port TCP port
     * @param tls none, starttls or implicit
     */
    public record Listener(Boolean enabled, String address,
                           Integer port, TlsMode tls) {
        Listener withDefaults(int defaultPort, TlsMode defaultTls) {
            if (port != null && (port < 0 || port > 65535)) {
                throw new IllegalArgumentException("port must be between 0 and 65535, not " + port);
            }
            return new Listener(enabled == null ? Boolean.TRUE : enabled, address == null ? "127.0.0.1" : address,
                port == null ? defaultPort : port, tls == null ? defaultTls : tls);
        }
    }

    /**
     * The failed-login guard, one for SMTP AUTH, IMAP and POP3 together.
     *
     * @param failuresBeforeBlock failed logins from one network (an IPv4 address, an IPv6 /64) before it is refused
     *                            outright, without a password check (default 10)
     * @param blockMinutes how long such a network is refused (default 15)
     * @param maxDelayMillis the longest a failed login's reply is held back; the protocol's delay doubles per
     *                       failure up to this (default 30000)
     * @param accountFailuresBeforeProtection failures on one account, from anywhere, after which only networks it
     *                                        has logged in from may try it (default 50)
     */
    public record LoginConfig(Integer failuresBeforeBlock,
                              Integer blockMinutes,
                              Integer maxDelayMillis,
                              Integer accountFailuresBeforeProtection) {
        public LoginConfig {
            LoginGuard.Settings defaults = LoginGuard.Settings.DEFAULTS;
            failuresBeforeBlock = positive("login.failuresBeforeBlock", failuresBeforeBlock, defaults.failuresBeforeBlock());
            blockMinutes = atLeast("login.blockMinutes", blockMinutes, (int) defaults.blockDuration().toMinutes(), 1);
            maxDelayMillis = atLeast("login.maxDelayMillis", maxDelayMillis, (int) defaults.maxDelay().toMillis(), 0);
            accountFailuresBeforeProtection = positive("login.accountFailuresBeforeProtection", accountFailuresBeforeProtection,
                defaults.accountFailuresBeforeProtection());
        }
    }

    /**
     * SMTP.
     *
     * @param mx listener for other mail servers (default 127.0.0.1:2525, STARTTLS; port 25 in production)
     * @param submission listener for our users' clients (default 127.0.0.1:2587, STARTTLS; 587 in production)
     * @param submissions the same with implicit TLS (default 127.0.0.1:2465; 465 in production)
     * @param maxMessageSize largest message in bytes (default 26214400)
     * @param maxRecipients most recipients per message (default 100)
     * @param plaintextLoginOnLoopback allow AUTH without TLS from 127.0.0.1 (default true)
     * @param maxConnectionsPerIp most simultaneous connections from one address per listener (default 20)
     * @param shutdownTimeoutSeconds on SIGTERM, how long SMTP transactions under way may take to finish (default 30)
     * @param maxConnections most simultaneous connections per listener (default 200)
     * @param idleTimeoutSeconds a connection with no traffic for this long is closed (default 300)
     * @param commandTimeoutSeconds longest wait for the next command, answered with 421 4.4.2 (default 300)
     * @param dataTimeoutSeconds longest wait for more DATA, answered with 421 4.4.2 (default 600)
     * @param maxCommandLineLength longest command line in bytes; longer ones get 500 5.5.2 (default 2048)
     * @param maxDataLineLength longest line inside DATA; a message with a longer one is refused whole (default 65536)
     * @param maxProtocolErrors error replies a session may cause before it is dropped with 421 (default 10)
     * @param failedLoginDelayMillis delay before a failed AUTH is answered (default 2000)
     * @param spoolThreshold message bytes kept in memory before the rest is spooled to a temporary file (default 262144)
     * @param maxMessagesPerUserPerHour on submission, most messages one user may send in any hour; more get
     *                                  451 4.7.1 (default 300)
     * @param maxRecipientsPerUserPerHour on submission, most recipients one user may send to in any hour (default 1000)
     */
    public record SmtpConfig(Listener mx, Listener submission,
                             Listener submissions,
                             Long maxMessageSize,
                             Integer maxRecipients,
                             Boolean plaintextLoginOnLoopback,
                             Integer maxConnectionsPerIp,
                             Integer shutdownTimeoutSeconds,
                             Integer maxConnections,
                             Integer idleTimeoutSeconds,
                             Integer commandTimeoutSeconds,
                             Integer dataTimeoutSeconds,
                             Integer maxCommandLineLength,
                             Integer maxDataLineLength,
                             Integer maxProtocolErrors,
                             Integer failedLoginDelayMillis,
                             Integer spoolThreshold,
                             Integer maxMessagesPerUserPerHour,
                             Integer maxRecipientsPerUserPerHour) {
        public SmtpConfig {
            mx = (mx == null ? new Listener(null, null, null, null) : mx).withDefaults(2525, TlsMode.STARTTLS);
            submission = (submission == null ? new Listener(null, null, null, null) : submission).withDefaults(2587, TlsMode.STARTTLS);
            submissions = (submissions == null ? new Listener(null, null, null, null) : submissions).withDefaults(2465, TlsMode.IMPLICIT);
            maxMessageSize = maxMessageSize == null ? SmtpSettings.DEFAULT_MAX_MESSAGE_SIZE : maxMessageSize;
            if (maxMessageSize < 1) {
                throw new IllegalArgumentException("smtp.maxMessageSize must be positive");
            }
            maxRecipients = positive("smtp.maxRecipients", maxRecipients, SmtpSettings.DEFAULT_MAX_RECIPIENTS);
            plaintextLoginOnLoopback = plaintextLoginOnLoopback == null ? Boolean.TRUE : plaintextLoginOnLoopback;
            maxConnectionsPerIp = positive("smtp.maxConnectionsPerIp", maxConnectionsPerIp, SmtpSettings.DEFAULT_MAX_CONNECTIONS_PER_IP);
            shutdownTimeoutSeconds = positive("smtp.shutdownTimeoutSeconds", shutdownTimeoutSeconds, 30);
            maxConnections = positive("smtp.maxConnections", maxConnections, SmtpSettings.DEFAULT_MAX_CONNECTIONS);
            idleTimeoutSeconds = positive("smtp.idleTimeoutSeconds", idleTimeoutSeconds, SmtpSettings.DEFAULT_IDLE_TIMEOUT_SECONDS);
            commandTimeoutSeconds = positive("smtp.commandTimeoutSeconds", commandTimeoutSeconds, SmtpSettings.DEFAULT_COMMAND_TIMEOUT_SECONDS);
            dataTimeoutSeconds = positive("smtp.dataTimeoutSeconds", dataTimeoutSeconds, SmtpSettings.DEFAULT_DATA_TIMEOUT_SECONDS);
            maxCommandLineLength = atLeast("smtp.maxCommandLineLength", maxCommandLineLength, SmtpSettings.DEFAULT_MAX_COMMAND_LINE_LENGTH,
                SmtpSettings.MIN_COMMAND_LINE_LENGTH);
            maxDataLineLength = atLeast("smtp.maxDataLineLength", maxDataLineLength, SmtpSettings.DEFAULT_MAX_DATA_LINE_LENGTH,
                SmtpSettings.MIN_DATA_LINE_LENGTH);
            maxProtocolErrors = positive("smtp.maxProtocolErrors", maxProtocolErrors, SmtpSettings.DEFAULT_MAX_PROTOCOL_ERRORS);
            failedLoginDelayMillis = atLeast("smtp.failedLoginDelayMillis", failedLoginDelayMillis, SmtpSettings.DEFAULT_FAILED_LOGIN_DELAY_MILLIS, 0);
            spoolThreshold = positive("smtp.spoolThreshold", spoolThreshold, SmtpSettings.DEFAULT_SPOOL_THRESHOLD);
            maxMessagesPerUserPerHour = positive("smtp.maxMessagesPerUserPerHour", maxMessagesPerUserPerHour,
                SmtpSettings.DEFAULT_MAX_MESSAGES_PER_USER_PER_HOUR);
            maxRecipientsPerUserPerHour = positive("smtp.maxRecipientsPerUserPerHour", maxRecipientsPerUserPerHour,
                SmtpSettings.DEFAULT_MAX_RECIPIENTS_PER_USER_PER_HOUR);
        }
    }

    /**
     * IMAP.
     *
     * @param imap listener with STARTTLS (default 127.0.0.1:1143; 143 in production)
     * @param imaps listener with implicit TLS (default 127.0.0.1:1993; 993 in production)
     * @param maxLiteralSize largest APPEND in bytes (default 67108864)
     * @param plaintextLoginOnLoopback allow LOGIN without TLS from 127.0.0.1 (default true)
     * @param maxConnectionsPerUser most simultaneous sessions per user (default 20)
     * @param maxLineLength longest command line in bytes, literals aside (default 65536)
     * @param inMemoryLiteralLimit literal bytes kept in memory; larger literals are spooled to disk (default 1048576)
     * @param idleTimeoutSeconds a session with no traffic for this long is closed; RFC 9051 asks for at least
     *                           30 minutes (default 1800)
     * @param maxConnections most simultaneous connections per listener (default 500)
     * @param maxConnectionsPerIp most simultaneous connections from one address per listener (default 50)
     * @param failedLoginDelayMillis delay before a failed login is answered (default 2000)
     * @param preAuthLiteralLimit largest literal before login, at least 1024; larger ones get BAD unread (default 8192)
     * @param preAuthIdleTimeoutSeconds a connection that has not logged in is closed after this long without
     *                                  input, at least 10 (default 60)
     * @param maxPreAuthConnectionsPerIp most connections from one address that have not logged in yet; the trusted
     *                                   networks are exempt (default 10)
     */
    public record ImapConfig(Listener imap, Listener imaps,
                             Integer maxLiteralSize,
                             Boolean plaintextLoginOnLoopback,
                             Integer maxConnectionsPerUser,
                             Integer maxLineLength,
                             Integer inMemoryLiteralLimit,
                             Integer idleTimeoutSeconds,
                             Integer maxConnections,
                             Integer maxConnectionsPerIp,
                             Integer failedLoginDelayMillis,
                             Integer preAuthLiteralLimit,
                             Integer preAuthIdleTimeoutSeconds,
                             Integer maxPreAuthConnectionsPerIp) {
        public ImapConfig {
            imap = (imap == null ? new Listener(null, null, null, null) : imap).withDefaults(1143, TlsMode.STARTTLS);
            imaps = (imaps == null ? new Listener(null, null, null, null) : imaps).withDefaults(1993, TlsMode.IMPLICIT);
            maxLiteralSize = positive("imap.maxLiteralSize", maxLiteralSize, ImapSettings.DEFAULT_MAX_LITERAL_SIZE);
            plaintextLoginOnLoopback = plaintextLoginOnLoopback == null ? Boolean.TRUE : plaintextLoginOnLoopback;
            maxConnectionsPerUser = positive("imap.maxConnectionsPerUser", maxConnectionsPerUser, ImapSettings.DEFAULT_MAX_CONNECTIONS_PER_USER);
            maxLineLength = atLeast("imap.maxLineLength", maxLineLength, ImapSettings.DEFAULT_MAX_LINE_LENGTH, 1024);
            inMemoryLiteralLimit = positive("imap.inMemoryLiteralLimit", inMemoryLiteralLimit, ImapSettings.DEFAULT_IN_MEMORY_LITERAL_LIMIT);
            idleTimeoutSeconds = atLeast("imap.idleTimeoutSeconds", idleTimeoutSeconds, ImapSettings.DEFAULT_IDLE_TIMEOUT_SECONDS, ImapSettings.MIN_IDLE_TIMEOUT_SECONDS);
            maxConnections = positive("imap.maxConnections", maxConnections, ImapSettings.DEFAULT_MAX_CONNECTIONS);
            maxConnectionsPerIp = positive("imap.maxConnectionsPerIp", maxConnectionsPerIp, ImapSettings.DEFAULT_MAX_CONNECTIONS_PER_IP);
            failedLoginDelayMillis = atLeast("imap.failedLoginDelayMillis", failedLoginDelayMillis, ImapSettings.DEFAULT_FAILED_LOGIN_DELAY_MILLIS, 0);
            preAuthLiteralLimit = atLeast("imap.preAuthLiteralLimit", preAuthLiteralLimit, ImapSettings.DEFAULT_PRE_AUTH_LITERAL_LIMIT,
                ImapSettings.MIN_PRE_AUTH_LITERAL_LIMIT);
            preAuthIdleTimeoutSeconds = atLeast("imap.preAuthIdleTimeoutSeconds", preAuthIdleTimeoutSeconds, ImapSettings.DEFAULT_PRE_AUTH_IDLE_TIMEOUT_SECONDS,
                ImapSettings.MIN_PRE_AUTH_IDLE_TIMEOUT_SECONDS);
            maxPreAuthConnectionsPerIp = positive("imap.maxPreAuthConnectionsPerIp", maxPreAuthConnectionsPerIp, ImapSettings.DEFAULT_MAX_PRE_AUTH_CONNECTIONS_PER_IP);
        }
    }

    /**
     * @param readerConnections JDBC connections for reads (default 4)
     * @param workerThreads threads that run blocking store calls for the protocols (default 8)
     * @param plusSeparator sub-address separator, {@code user+tag@domain}; empty disables it (default "+")
     * @param hashThreads threads that check passwords, apart from every protocol and store thread (default 2)
     * @param hashQueue logins that may wait for a hashing thread; more get a temporary failure (default 64)
     * @param credentialCacheSeconds how long a verified password is remembered, so that the next login of that
     *                               user costs no slow hash; 0 disables (default 3600)
     * @param credentialCacheEntries most users remembered at once (default 10000)
     * @param minFreeDiskMegabytes free space the data directory's file system keeps: a message that would leave
     *                             less is refused (SMTP 452 4.3.1, APPEND NO [UNAVAILABLE]) before anything is
     *                             written (default 64)
     * @param backend {@code derby} (embedded, in the data directory, one node) or {@code postgresql} (a database
     *                several nodes share) (default derby)
     * @param jdbcUrl with postgresql: {@code jdbc:postgresql://host:5432/database} (no default)
     * @param user with postgresql: the role to log in as, owner of the database (no default)
     * @param passwordFile with postgresql: a file whose first line is the role's password (its line end is not
     *                     part of it); without it, the environment variable {@value #PASSWORD_VARIABLE}, else none
     * @param poolSize with postgresql: most connections this node holds (default 10)
     */
    public record StoreSettings(
        Integer readerConnections,
        Integer workerThreads,
        String plusSeparator,
        Integer hashThreads,
        Integer hashQueue,
        Integer credentialCacheSeconds,
        Integer credentialCacheEntries,
        Integer minFreeDiskMegabytes,
        String backend,
        String jdbcUrl,
        String user,
        String passwordFile,
        Integer poolSize) {

        /** The environment variable that holds the PostgreSQL password when no password file is named. */
        public static final String PASSWORD_VARIABLE = "LETTERBOX_STORE_PASSWORD";
        static final int DEFAULT_POOL_SIZE = 10;

        public StoreSettings {
            // the store's own defaults: StoreConfig and CredentialVerifier.Settings hold them
            StoreConfig defaults = StoreConfig.defaults(java.nio.file.Path.of("."));
            readerConnections = positive("store.readerConnections", readerConnections, defaults.readerConnections());
            workerThreads = positive("store.workerThreads", workerThreads, defaults.workerThreads());
            plusSeparator = plusSeparator == null ? defaults.plusSeparator() : plusSeparator;
            hashThreads = positive("store.hashThreads", hashThreads, defaults.credentials().hashThreads());
            hashQueue = positive("store.hashQueue", hashQueue, defaults.credentials().hashQueue());
            credentialCacheSeconds = atLeast("store.credentialCacheSeconds", credentialCacheSeconds,
                (int) defaults.credentials().cacheTtl().toSeconds(), 0);
            credentialCacheEntries = positive("store.credentialCacheEntries", credentialCacheEntries,
                defaults.credentials().cacheEntries());
            minFreeDiskMegabytes = atLeast("store.minFreeDiskMegabytes", minFreeDiskMegabytes,
                (int) (defaults.minFreeDiskBytes() / (1024 * 1024)), 0);
            backend = backend == null ? "derby" : backend;
            poolSize = atLeast("store.poolSize", poolSize, DEFAULT_POOL_SIZE, StoreBackend.Postgres.MIN_POOL_SIZE);
            switch (backend) {
                case "derby" -> {
                    if (jdbcUrl != null || user != null || passwordFile != null) {
                        throw new IllegalArgumentException("store.jdbcUrl, store.user and store.passwordFile are for"
                            + " store.backend: postgresql");
                    }
                }
                case "postgresql" -> {
                    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
                        throw new IllegalArgumentException("store.backend postgresql needs store.jdbcUrl,"
                            + " jdbc:postgresql://host:5432/database");
                    }
                    if (user == null || user.isBlank()) {
                        throw new IllegalArgumentException("store.backend postgresql needs store.user");
                    }
                }
                default -> throw new IllegalArgumentException("store.backend must be derby or postgresql, not " + backend);
            }
        }

        /**
         * The backend these settings name, with the password read from its file or {@code environment}; fails
         * with a one-line message when the file cannot be read.
         */
        public StoreBackend storeBackend(java.util.Map<String, String> environment) {
            if (backend.equals("derby")) {
                return new StoreBackend.Derby();
            }
            return new StoreBackend.Postgres(jdbcUrl, user,
                password(passwordFile == null ? null : java.nio.file.Path.of(passwordFile), environment), poolSize);
        }

        /**
         * A database password: the first line of {@code file} (its line end not part of it), or without a file the
         * environment's {@value #PASSWORD_VARIABLE}, or none.
         */
        public static String password(java.nio.file.Path file, java.util.Map<String, String> environment) {
            if (file == null) {
                return environment.getOrDefault(PASSWORD_VARIABLE, "");
            }
            try (java.io.BufferedReader reader = java.nio.file.Files.newBufferedReader(file)) {
                String line = reader.readLine();
                return line == null ? "" : line;
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read the password file " + file + ": " + e.getMessage());
            }
        }
    }

    /**
     * DKIM keys. Each domain gets an RSA-2048 and an Ed25519 key when it is added; {@code letterbox dkim rotate}
     * makes a new pair that is published first and used later.
     *
     * @param activateAfterHours a rotated pair starts signing by itself this long after it was made (time to publish
     *                           its DNS records); 0: only when {@code letterbox dkim activate} says so (default 0)
     * @param keepRetiredDays how long a replaced key is kept (its record should stay published for mail already
     *                        sent), after which it is removed (default 30)
     */
    public record DkimConfig(Integer activateAfterHours,
                             Integer keepRetiredDays) {
        public DkimConfig {
            activateAfterHours = atLeast("dkim.activateAfterHours", activateAfterHours, 0, 0);
            keepRetiredDays = atLeast("dkim.keepRetiredDays", keepRetiredDays, 30, 1);
        }
    }

    /**
     * The checks of mail arriving at the MX from outside: SPF, DKIM, DMARC, and one Authentication-Results header
     * (with {@code hostname} as authserv-id).
     *
     * @param enabled false to take mail unchecked (default true)
     * @param exemptNetworks client networks (CIDR) whose mail is not checked, such as a backup MX or a scanner of
     *                       your own that relays to this one; loopback is checked unless listed (default [])
     */
    public record MailAuthConfig(Boolean enabled,
                                 java.util.List<String> exemptNetworks) {
        public MailAuthConfig {
            enabled = enabled == null ? Boolean.TRUE : enabled;
            exemptNetworks = exemptNetworks == null ? java.util.List.of() : java.util.List.copyOf(exemptNetworks);
            try {
                org.letterbox.net.TrustedNetworks.of(exemptNetworks);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mailAuth.exemptNetworks: " + e.getMessage());
            }
        }
    }

    /**
     * The HTTPS listener (client autoconfiguration, MTA-STS policy) and its plain HTTP companion (ACME http-01
     * challenges, redirects to HTTPS).
     *
     * @param https listener with TLS (default 127.0.0.1:8443; 443 in production); its {@code tls} is always implicit
     * @param http plain listener (default 127.0.0.1:8080; 80 in production, where ACME's http-01 check arrives)
     * @param mtaStsMode the mode of the MTA-STS policy served for every local domain: enforce or testing (default enforce)
     * @param maxRequestBytes largest request body, an autodiscover POST; larger gets 413 unread (default 16384)
     * @param maxHeaderBytes largest request line and headers; larger gets 431 (default 8192)
     * @param requestTimeoutSeconds a connection that has not sent a whole request by then is closed (default 10)
     * @param maxConnections most connections at once per listener (default 200)
     * @param maxConnectionsPerIp most connections at once from one address per listener (default 20)
     */
    public record WebConfig(Listener https, Listener http,
                            String mtaStsMode,
                            Integer maxRequestBytes,
                            Integer maxHeaderBytes,
                            Integer requestTimeoutSeconds,
                            Integer maxConnections,
                            Integer maxConnectionsPerIp) {
        public WebConfig {
            https = (https == null ? new Listener(null, null, null, null) : https).withDefaults(8443, TlsMode.IMPLICIT);
            http = (http == null ? new Listener(null, null, null, null) : http).withDefaults(8080, TlsMode.NONE);
            if (https.tls() != TlsMode.IMPLICIT) {
                throw new IllegalArgumentException("web.https.tls can only be implicit");
            }
            if (http.tls() != TlsMode.NONE) {
                throw new IllegalArgumentException("web.http.tls can only be none");
            }
            mtaStsMode = mtaStsMode == null ? org.letterbox.web.WebSettings.DEFAULT_MTA_STS_MODE : mtaStsMode;
            if (!mtaStsMode.equals("enforce") && !mtaStsMode.equals("testing")) {
                throw new IllegalArgumentException("web.mtaStsMode must be enforce or testing, not " + mtaStsMode);
            }
            maxRequestBytes = atLeast("web.maxRequestBytes", maxRequestBytes, org.letterbox.web.WebSettings.DEFAULT_MAX_REQUEST_BYTES, 1024);
            maxHeaderBytes = atLeast("web.maxHeaderBytes", maxHeaderBytes, org.letterbox.web.WebSettings.DEFAULT_MAX_HEADER_BYTES, 1024);
            requestTimeoutSeconds = positive("web.requestTimeoutSeconds", requestTimeoutSeconds,
                org.letterbox.web.WebSettings.DEFAULT_REQUEST_TIMEOUT_SECONDS);
            maxConnections = positive("web.maxConnections", maxConnections, org.letterbox.web.WebSettings.DEFAULT_MAX_CONNECTIONS);
            maxConnectionsPerIp = positive("web.maxConnectionsPerIp", maxConnectionsPerIp,
                org.letterbox.web.WebSettings.DEFAULT_MAX_CONNECTIONS_PER_IP);
        }
    }

    /**
     * Automatic certificates (ACME, RFC 8555) for the host name and, for each local domain, the {@code autoconfig.},
     * {@code autodiscover.} and {@code mta-sts.} names that resolve to this host. They are kept in
     * {@code DATA/acme/} and used by every listener without a restart. Excludes {@code tls.certificate}.
     *
     * @param enabled true to obtain and renew certificates (default false)
     * @param directory letsencrypt, letsencrypt-staging, or the https URL of another CA's ACME directory (default letsencrypt)
     * @param email contact address given to the CA for expiry notices (default none)
     * @param trustCertificate a PEM CA certificate trusted for the ACME server's own HTTPS, for test servers such as
     *                         Pebble (default none: the JDK's trusted CAs)
     * @param renewDaysBefore how many days before expiry a certificate is renewed (default 30)
     * @param retryMinutes how long after a failed attempt the next one is made (default 60)
     * @param challenge http-01 (answered on web.http, port 80) or tls-alpn-01 (on web.https, port 443) (default http-01)
     */
    public record AcmeConfig(Boolean enabled, String directory,
                             String email, String trustCertificate,
                             Integer renewDaysBefore,
                             Integer retryMinutes,
                             String challenge) {
        public AcmeConfig {
            enabled = enabled == null ? Boolean.FALSE : enabled;
            directory = directory == null ? "letsencrypt" : directory;
            try {
                org.letterbox.web.acme.AcmeSettings.directory(directory);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("acme.directory: " + e.getMessage());
            }
            renewDaysBefore = positive("acme.renewDaysBefore", renewDaysBefore,
                (int) org.letterbox.web.acme.AcmeSettings.DEFAULT_RENEW_BEFORE.toDays());
            retryMinutes = positive("acme.retryMinutes", retryMinutes,
                (int) org.letterbox.web.acme.AcmeSettings.DEFAULT_RETRY_AFTER.toMinutes());
            challenge = challenge == null ? org.letterbox.web.acme.AcmeSettings.Challenge.HTTP_01.toString() : challenge;
            try {
                org.letterbox.web.acme.AcmeSettings.Challenge.parse(challenge);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("acme.challenge: " + e.getMessage());
            }
        }
    }

    static Integer atLeast(String key, Integer value, int fallback, int minimum) {
        if (value == null) {
            return fallback;
        }
        if (value < minimum) {
            throw new IllegalArgumentException(key + " must be at least " + minimum + ", not " + value);
        }
        return value;
    }

    static Integer positive(String key, Integer value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, not " + value);
        }
        return value;
    }

    /**
     * POP3.
     *
     * @param pop3 listener with STLS (default 127.0.0.1:1110; 110 in production)
     * @param pop3s listener with implicit TLS (default 127.0.0.1:1995; 995 in production)
     * @param plaintextLoginOnLoopback allow USER/PASS and AUTH without TLS from 127.0.0.1 (default true)
     * @param idleTimeoutSeconds a session with no traffic for this long is closed; RFC 1939 asks for at least
     *                           10 minutes (default 600)
     * @param maxConnections most simultaneous connections per listener (default 200)
     * @param maxConnectionsPerIp most simultaneous connections from one address per listener (default 20)
     * @param failedLoginDelayMillis delay before a failed login is answered (default 2000)
     * @param preAuthIdleTimeoutSeconds a connection that has not logged in is closed after this long without input,
     *                                  at least 10 (default 60)
     * @param maxPreAuthConnectionsPerIp most connections from one address that have not logged in yet; the trusted
     *                                   networks are exempt (default 10)
     */
    public record Pop3Config(Listener pop3, Listener pop3s,
                             Boolean plaintextLoginOnLoopback,
                             Integer idleTimeoutSeconds,
                             Integer maxConnections,
                             Integer maxConnectionsPerIp,
                             Integer failedLoginDelayMillis,
                             Integer preAuthIdleTimeoutSeconds,
                             Integer maxPreAuthConnectionsPerIp) {
        public Pop3Config {
            pop3 = (pop3 == null ? new Listener(null, null, null, null) : pop3).withDefaults(1110, TlsMode.STARTTLS);
            pop3s = (pop3s == null ? new Listener(null, null, null, null) : pop3s).withDefaults(1995, TlsMode.IMPLICIT);
            plaintextLoginOnLoopback = plaintextLoginOnLoopback == null ? Boolean.TRUE : plaintextLoginOnLoopback;
            idleTimeoutSeconds = atLeast("pop3.idleTimeoutSeconds", idleTimeoutSeconds, Pop3Settings.DEFAULT_IDLE_TIMEOUT_SECONDS, Pop3Settings.MIN_IDLE_TIMEOUT_SECONDS);
            maxConnections = positive("pop3.maxConnections", maxConnections, Pop3Settings.DEFAULT_MAX_CONNECTIONS);
            maxConnectionsPerIp = positive("pop3.maxConnectionsPerIp", maxConnectionsPerIp, Pop3Settings.DEFAULT_MAX_CONNECTIONS_PER_IP);
            failedLoginDelayMillis = atLeast("pop3.failedLoginDelayMillis", failedLoginDelayMillis, Pop3Settings.DEFAULT_FAILED_LOGIN_DELAY_MILLIS, 0);
            preAuthIdleTimeoutSeconds = atLeast("pop3.preAuthIdleTimeoutSeconds", preAuthIdleTimeoutSeconds, Pop3Settings.DEFAULT_PRE_AUTH_IDLE_TIMEOUT_SECONDS,
                Pop3Settings.MIN_PRE_AUTH_IDLE_TIMEOUT_SECONDS);
            maxPreAuthConnectionsPerIp = positive("pop3.maxPreAuthConnectionsPerIp", maxPreAuthConnectionsPerIp, Pop3Settings.DEFAULT_MAX_PRE_AUTH_CONNECTIONS_PER_IP);
        }
    }

    /**
     * The admin endpoint (HTTP with JSON on 127.0.0.1 only; see docs/operations.md).
     *
     * @param enabled false to run without it; the CLI then cannot change a running server (default true)
     * @param port TCP port on 127.0.0.1; 0 picks a free one, written to {@code DATA/admin.endpoint} (default 0)
     */
    public record AdminConfig(Boolean enabled, Integer port) {
        public AdminConfig {
            enabled = enabled == null ? Boolean.TRUE : enabled;
            port = port == null ? 0 : port;
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, not " + port);
            }
        }
    }

    /**
     * HAProxy's PROXY protocol (v1 and v2) on every listener (SMTP, IMAP, POP3, web).
     *
     * @param from the load balancers' networks (CIDR): a connection from them must open with a PROXY header, whose
     *             client address then counts for limits, logs and SPF; a connection from anywhere else is the client
     *             itself, and a PROXY line from it is not honoured (default: none, the protocol is off)
     * @param headerTimeoutSeconds how long a balancer's connection may take to send its header before it is closed
     *                             (default 5)
     */
    public record ProxyProtocolConfig(java.util.List<String> from,
                                      Integer headerTimeoutSeconds) {
        /** Default of {@code proxyProtocol.headerTimeoutSeconds}; {@code docs/configuration.md} shows it. */
        public static final int DEFAULT_HEADER_TIMEOUT_SECONDS = 5;

        public ProxyProtocolConfig {
            from = from == null ? java.util.List.of() : java.util.List.copyOf(from);
            headerTimeoutSeconds = positive("proxyProtocol.headerTimeoutSeconds", headerTimeoutSeconds, DEFAULT_HEADER_TIMEOUT_SECONDS);
            try {
                org.letterbox.net.TrustedNetworks.of(from);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("proxyProtocol.from: " + e.getMessage());
            }
        }

        /** As the listeners take it. */
        public org.letterbox.net.proxy.ProxyProtocol settings() {
            return new org.letterbox.net.proxy.ProxyProtocol(from, java.time.Duration.ofSeconds(headerTimeoutSeconds));
        }
    }
}

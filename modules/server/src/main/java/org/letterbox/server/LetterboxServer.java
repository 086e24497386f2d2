package org.letterbox.server;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;

import java.util.Map;
import java.util.Optional;

import org.letterbox.delivery.DeliverySettings;
import org.letterbox.delivery.OutboundDelivery;
import org.letterbox.dns.Dns;
import org.letterbox.dns.IpPreference;
import org.letterbox.delivery.route.Smarthost;
import org.letterbox.delivery.tls.TlsOverride;
import org.letterbox.server.config.DeliveryConfig;
import org.letterbox.server.dkim.CachedSigningKeys;
import org.letterbox.server.dkim.DomainKeys;
import org.letterbox.imap.ImapServer;
import org.letterbox.imap.ImapSettings;
import org.letterbox.pop3.Pop3Server;
import org.letterbox.pop3.Pop3Settings;
import org.letterbox.server.config.ConfigException;
import org.letterbox.server.config.ConfigLoader;
import org.letterbox.server.config.ServerConfig;
import org.letterbox.server.admin.AdminEndpoint;
import org.letterbox.server.admin.LocalAdmin;
import org.letterbox.server.tls.ReloadingCertificate;
import org.letterbox.server.tls.TlsContexts;
import org.letterbox.smtp.SmtpServer;
import org.letterbox.smtp.SmtpSettings;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreConfig;
import org.letterbox.store.account.CredentialVerifier;
import org.letterbox.net.TrustedNetworks;
import org.letterbox.net.login.LoginGuard;
import org.letterbox.store.jdbc.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One JVM, one store, every listener. {@link #start} opens everything; {@link #close} stops it in order. */
public final class LetterboxServer implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(LetterboxServer.class);

    private final ServerConfig config;
    private final MailStore store;
    private final List<AutoCloseable> listeners;
    private final AdminEndpoint admin;
    private final ReloadingCertificate certificate;
    private final OutboundDelivery delivery;
    private final java.util.concurrent.ScheduledExecutorService upkeep;

    private LetterboxServer(ServerConfig config, MailStore store, List<AutoCloseable> listeners, AdminEndpoint admin,
                            ReloadingCertificate certificate, OutboundDelivery delivery,
                            java.util.concurrent.ScheduledExecutorService upkeep) {
        this.delivery = delivery;
        this.upkeep = upkeep;
        this.config = config;
        this.store = store;
        this.listeners = listeners;
        this.admin = admin;
        this.certificate = certificate;
    }

    /** The configured PEM certificate, reloaded when its files change; null with the self-signed one. */
    public ReloadingCertificate certificate() {
        return certificate;
    }

    /** Opens the store and starts the listeners the configuration names; fails with a one-line message. */
    public static LetterboxServer start(ServerConfig config) {
        long started = System.nanoTime();
        StoreConfig storeConfig = StoreConfig.defaults(Path.of(config.dataDirectory()))
            .withThreads(config.store().readerConnections(), config.store().workerThreads())
            .withPlusSeparator(config.store().plusSeparator())
            .withMinFreeDisk(config.store().minFreeDiskMegabytes() * 1024L * 1024L)
            .withCredentials(new CredentialVerifier.Settings(config.store().hashThreads(), config.store().hashQueue(),
                Duration.ofSeconds(config.store().credentialCacheSeconds()), config.store().credentialCacheEntries()))
            .withBackend(config.store().storeBackend(System.getenv()));
        // what needs no store is made on threads of its own while the store opens (JSSE and the certificate, DNS set-up)
        java.util.concurrent.CompletableFuture<ServerTls> tlsReady = onItsOwnThread("letterbox-start-tls",
            () -> ServerTls.open(config, storeConfig.dataDirectory()));
        java.util.concurrent.CompletableFuture<Optional<org.letterbox.mailauth.InboundChecks>> checksReady =
            onItsOwnThread("letterbox-start-checks", () -> inboundChecks(config));
        MailStore store;
        try {
            store = MailStore.open(storeConfig);
        } catch (RuntimeException e) {
            tlsReady.thenAccept(ServerTls::close);
            throw e;
        }
        LOGGER.info("store open: {}", storeConfig.backend() instanceof org.letterbox.store.StoreBackend.Postgres postgres
            ? "PostgreSQL at " + postgres.where() : "Derby in " + storeConfig.dataDirectory().toAbsolutePath());
        List<AutoCloseable> listeners = new ArrayList<>();
        AdminEndpoint admin;
        ReloadingCertificate certificate = null;
        OutboundDelivery delivery = null;
        CachedSigningKeys signingKeys;
        Optional<org.letterbox.mailauth.InboundChecks> inboundChecks;
        java.util.concurrent.ScheduledExecutorService upkeep = null;
        try {
            ServerTls serverTls = joined(tlsReady);
            certificate = serverTls.certificate();
            SSLContext tls = serverTls.context();
            ServerConfig.SmtpConfig smtp = config.smtp();
            LoginGuard guard = loginGuard(config.login());
            DomainKeys domainKeys = new DomainKeys(store.dkimKeys(), java.time.Clock.systemUTC());
            for (String domain : store.accounts().listDomains()) {
                domainKeys.ensure(domain);
            }
            store.accounts().onDomainAdded(domainKeys::ensure);
            signingKeys = new CachedSigningKeys(domainKeys, store.dkimKeys());
            inboundChecks = joined(checksReady);
            upkeep = dkimUpkeep(config, store, domainKeys);
            startSmtp(listeners, "smtp.mx", smtp.mx(), SmtpSettings.Role.MX, config, tls, store, guard, signingKeys,
                inboundChecks);
            startSmtp(listeners, "smtp.submission", smtp.submission(), SmtpSettings.Role.SUBMISSION, config, tls, store, guard,
                signingKeys, Optional.empty());
            startSmtp(listeners, "smtp.submissions", smtp.submissions(), SmtpSettings.Role.SUBMISSION, config, tls, store, guard,
                signingKeys, Optional.empty());
            startImap(listeners, "imap.imap", config.imap().imap(), config, tls, store, guard);
            startImap(listeners, "imap.imaps", config.imap().imaps(), config, tls, store, guard);
            startPop3(listeners, "pop3.pop3", config.pop3().pop3(), config, tls, store, guard);
            startPop3(listeners, "pop3.pop3s", config.pop3().pop3s(), config, tls, store, guard);
            org.letterbox.web.AcmeChallenges challenges = new org.letterbox.web.AcmeChallenges();
            bind("web", config.web().https(), () -> org.letterbox.server.web.WebWiring.start(config, tls, store, challenges)
                .ifPresent(listeners::add));
            if (config.acme().enabled()) {
                ReloadingCertificate acmeCertificate = certificate;
                listeners.add(org.letterbox.server.web.WebWiring.startAcme(config, storeConfig.dataDirectory(), store, challenges,
                    acmeCertificate::reloadIfChanged));
            }
            delivery = OutboundDelivery.start(store, deliverySettings(config), null, java.time.Clock.systemUTC());
            admin = startAdmin(config, store, delivery);
        } catch (RuntimeException e) {
            if (delivery != null) {
                delivery.close();
            }
            if (upkeep != null) {
                upkeep.shutdownNow();
            }
            closeAll(listeners);
            if (certificate != null) {
                certificate.close();
            }
            store.close();
            throw e;
        }
        LOGGER.info("Letterbox started as {} in {} ms", config.hostname(), (System.nanoTime() - started) / 1_000_000);
        return new LetterboxServer(config, store, listeners, admin, certificate, delivery, upkeep);
    }

    /** The server's TLS: the configured or ACME certificate, reloaded when it changes, or the self-signed one. */
    private record ServerTls(ReloadingCertificate certificate, SSLContext context) {

        static ServerTls open(ServerConfig config, Path dataDirectory) {
            ReloadingCertificate certificate = null;
            if (config.acme().enabled()) {
                // the self-signed pair serves until ACME has written the first real one
                Path acmeFiles = org.letterbox.server.web.WebWiring.acmeSettings(config, dataDirectory).files();
                certificate = ReloadingCertificate.start(acmeFiles.resolve("fullchain.pem"), acmeFiles.resolve("privkey.pem"),
                    Duration.ofSeconds(config.tls().reloadCheckSeconds()),
                    TlsContexts.selfSignedKeyManager(dataDirectory, config.hostname()));
            } else if (config.tls().certificate() != null) {
                certificate = ReloadingCertificate.start(Path.of(config.tls().certificate()), Path.of(config.tls().privateKey()),
                    Duration.ofSeconds(config.tls().reloadCheckSeconds()));
            }
            return new ServerTls(certificate, certificate != null ? certificate.context()
                : TlsContexts.selfSigned(dataDirectory, config.hostname()));
        }

        void close() {
            if (certificate != null) {
                certificate.close();
            }
        }
    }

    /** A start-up step run on a daemon thread of its own, its result or failure in the future returned. */
    private static <T> java.util.concurrent.CompletableFuture<T> onItsOwnThread(String name, java.util.function.Supplier<T> work) {
        java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    /** The value of a finished start-up step, its failure thrown as it was thrown there. */
    private static <T> T joined(java.util.concurrent.CompletableFuture<T> step) {
        try {
            return step.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Every hour: pending DKIM pairs switched to after {@code dkim.activateAfterHours}, retired keys removed. */
    private static java.util.concurrent.ScheduledExecutorService dkimUpkeep(ServerConfig config, MailStore store,
                                                                           DomainKeys domainKeys) {
        java.util.concurrent.ScheduledExecutorService upkeep = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            runnable -> {
                Thread thread = new Thread(runnable, "letterbox-dkim-upkeep");
                thread.setDaemon(true);
                return thread;
            });
        Duration activateAfter = Duration.ofHours(config.dkim().activateAfterHours());
        Duration keepRetired = Duration.ofDays(config.dkim().keepRetiredDays());
        upkeep.scheduleWithFixedDelay(() -> {
            try {
                domainKeys.upkeep(store.accounts().listDomains(), activateAfter, keepRetired);
            } catch (RuntimeException e) {
                LOGGER.warn("dkim: upkeep failed: {}", e.toString());
            }
        }, 1, 60, java.util.concurrent.TimeUnit.MINUTES);
        return upkeep;
    }

    /** The checks of mail from outside, over the resolvers of the {@code dns} section; empty when switched off. */
    private static Optional<org.letterbox.mailauth.InboundChecks> inboundChecks(ServerConfig config) {
        if (!config.mailAuth().enabled()) {
            return Optional.empty();
        }
        Duration timeout = Duration.ofSeconds(config.dns().timeoutSeconds());
        org.xbill.DNS.Resolver resolver = Dns.resolver(config.dns().servers().stream().map(Dns::server).toList(), timeout);
        java.util.Random random = new java.util.Random();
        return Optional.of(new org.letterbox.mailauth.InboundChecks(new org.letterbox.mailauth.MailAuthentication(
            config.hostname(), new Dns(resolver, timeout, random), java.time.Clock.systemUTC(), random)));
    }

    /** The {@code delivery} and {@code dns} sections as the delivery module takes them. */
    static DeliverySettings deliverySettings(ServerConfig config) {
        DeliveryConfig d = config.delivery();
        DeliveryConfig.DnsConfig dns = config.dns();
        List<InetSocketAddress> self = new ArrayList<>();
        if (config.smtp().mx().enabled()) {
            self.add(new InetSocketAddress(config.smtp().mx().address(), config.smtp().mx().port()));
        }
        Map<String, TlsOverride> policies = new java.util.HashMap<>();
        d.tlsPolicies().forEach((domain, policy) -> policies.put(Dns.ascii(domain), TlsOverride.parse(policy)));
        return DeliverySettings.builder(config.hostname())
            .enabled(d.enabled())
            .concurrency(d.maxConcurrent(), d.maxPerDestination())
            .ipPreference(IpPreference.parse(d.ipPreference()))
            .sourceAddresses(d.sourceAddresses().stream().map(LetterboxServer::address).toList())
            .mxPort(d.mxPort())
            .retry(d.retryMinutes().stream().map(Duration::ofMinutes).toList(), Duration.ofHours(d.giveUpHours()),
                d.retryJitterPercent())
            .delayNoticeAfter(Duration.ofHours(d.delayNoticeHours()))
            .timeouts(d.timeouts())
            .tlsPolicies(policies)
            .dane(d.dane())
            .mtaSts(d.mtaSts())
            .mtaStsPort(d.mtaStsPort())
            .smarthost(smarthost(d.smarthost()))
            .dns(dns.servers().stream().map(Dns::server).toList(), Duration.ofSeconds(dns.timeoutSeconds()),
                org.letterbox.dns.DnssecMode.parse(dns.dnssec()))
            .selfListeners(self)
            .build();
    }

    private static java.net.InetAddress address(String text) {
        try {
            return java.net.InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new ConfigException("delivery.sourceAddresses: '" + text + "' is not an address");
        }
    }

    /** The smarthost, its password read from its file or environment variable (never logged). */
    private static Optional<Smarthost> smarthost(DeliveryConfig.SmarthostConfig relay) {
        if (relay.host() == null) {
            return Optional.empty();
        }
        Optional<String> password = Optional.empty();
        if (relay.passwordFile() != null) {
            try {
                List<String> lines = java.nio.file.Files.readAllLines(Path.of(relay.passwordFile()));
                if (lines.isEmpty() || lines.get(0).isEmpty()) {
                    throw new ConfigException("delivery.smarthost.passwordFile " + relay.passwordFile() + " is empty");
                }
                password = Optional.of(lines.get(0));
            } catch (java.io.IOException e) {
                throw new ConfigException("delivery.smarthost.passwordFile: cannot read " + relay.passwordFile()
                    + " (" + e.getMessage() + ")");
            }
        } else if (relay.passwordEnv() != null) {
            String value = System.getenv(relay.passwordEnv());
            if (value == null || value.isEmpty()) {
                throw new ConfigException("delivery.smarthost.passwordEnv: the environment variable " + relay.passwordEnv()
                    + " is not set");
            }
            password = Optional.of(value);
        }
        return Optional.of(new Smarthost(relay.host(), relay.port(), relay.tls().equals("implicit"),
            Optional.ofNullable(relay.user()), relay.user() == null ? Optional.empty() : password,
            java.util.Set.copyOf(relay.domains().stream().map(Dns::ascii).toList()), relay.afterFailures(),
            relay.verifyCertificate()));
    }

    private static AdminEndpoint startAdmin(ServerConfig config, MailStore store, OutboundDelivery delivery) {
        if (!config.admin().enabled()) {
            return null;
        }
        try {
            LocalAdmin local = new LocalAdmin(store, listenerLines(config), false, config);
            local.deliveryPause(delivery::pause);
            return AdminEndpoint.start(local, store.dataDirectory(), config.admin().port());
        } catch (java.io.IOException e) {
            throw new ConfigException("admin: cannot start the admin endpoint on 127.0.0.1:" + config.admin().port()
                + " (" + e.getMessage() + ")");
        }
    }

    /** One line per enabled listener, as {@code letterbox status} shows them. */
    static List<String> listenerLines(ServerConfig config) {
        List<String> lines = new ArrayList<>();
        addLine(lines, "smtp.mx", config.smtp().mx());
        addLine(lines, "smtp.submission", config.smtp().submission());
        addLine(lines, "smtp.submissions", config.smtp().submissions());
        addLine(lines, "imap.imap", config.imap().imap());
        addLine(lines, "imap.imaps", config.imap().imaps());
        addLine(lines, "pop3.pop3", config.pop3().pop3());
        addLine(lines, "pop3.pop3s", config.pop3().pop3s());
        addLine(lines, "web.https", config.web().https());
        addLine(lines, "web.http", config.web().http());
        return lines;
    }

    private static void addLine(List<String> lines, String name, ServerConfig.Listener listener) {
        if (listener.enabled()) {
            lines.add(name + " " + listener.address() + ":" + listener.port() + " tls=" + listener.tls().name().toLowerCase());
        }
    }

    /** One guard for every listener, so that failures over IMAP count against SMTP AUTH too. */
    private static LoginGuard loginGuard(ServerConfig.LoginConfig login) {
        LoginGuard.Settings defaults = LoginGuard.Settings.DEFAULTS;
        Duration block = Duration.ofMinutes(login.blockMinutes());
        // a count is kept at least as long as the block it caused
        Duration memory = block.compareTo(defaults.memory()) > 0 ? block : defaults.memory();
        return new LoginGuard(new LoginGuard.Settings(login.failuresBeforeBlock(), block, Duration.ofMillis(login.maxDelayMillis()),
            login.accountFailuresBeforeProtection(), memory, defaults.maxTracked()));
    }

    private static void startSmtp(List<AutoCloseable> listeners, String key, ServerConfig.Listener listener,
                                  SmtpSettings.Role role, ServerConfig config, SSLContext tls, MailStore store, LoginGuard guard,
                                  org.letterbox.mailauth.dkim.SigningKeys signingKeys,
                                  Optional<org.letterbox.mailauth.InboundChecks> inboundChecks) {
        if (!listener.enabled()) {
            return;
        }
        ServerConfig.SmtpConfig smtp = config.smtp();
        SmtpSettings.Builder builder = SmtpSettings.builder()
            .role(role)
            .address(new InetSocketAddress(listener.address(), listener.port()))
            .tls(listener.tls(), tls)
            .hostname(config.hostname())
            .maxMessageSize(smtp.maxMessageSize())
            .maxRecipients(smtp.maxRecipients())
            .plaintextLoginOnLoopback(smtp.plaintextLoginOnLoopback())
            .maxConnectionsPerIp(smtp.maxConnectionsPerIp())
            .trustedNetworks(TrustedNetworks.of(config.trustedNetworks()))
            .proxyProtocol(config.proxyProtocol().settings())
            .maxConnections(smtp.maxConnections())
            .idleTimeout(Duration.ofSeconds(smtp.idleTimeoutSeconds()))
            .commandTimeout(Duration.ofSeconds(smtp.commandTimeoutSeconds()))
            .dataTimeout(Duration.ofSeconds(smtp.dataTimeoutSeconds()))
            .maxCommandLineLength(smtp.maxCommandLineLength())
            .maxDataLineLength(smtp.maxDataLineLength())
            .maxProtocolErrors(smtp.maxProtocolErrors())
            .failedLoginDelay(Duration.ofMillis(smtp.failedLoginDelayMillis()))
            .loginGuard(guard)
            .spoolThreshold(smtp.spoolThreshold())
            .perUserHourlyLimits(smtp.maxMessagesPerUserPerHour(), smtp.maxRecipientsPerUserPerHour())
            .signingKeys(signingKeys);
        inboundChecks.ifPresent(checks -> builder.inboundChecks(checks, TrustedNetworks.of(config.mailAuth().exemptNetworks())));
        SmtpSettings settings = builder.build();
        bind(key, listener, () -> listeners.add(SmtpServer.start(settings, store)));
    }

    private static void startImap(List<AutoCloseable> listeners, String key, ServerConfig.Listener listener,
                                  ServerConfig config, SSLContext tls, MailStore store, LoginGuard guard) {
        if (!listener.enabled()) {
            return;
        }
        ImapSettings settings = ImapSettings.builder()
            .address(new InetSocketAddress(listener.address(), listener.port()))
            .tls(listener.tls(), tls)
            .hostname(config.hostname())
            .maxLiteralSize(config.imap().maxLiteralSize())
            .plaintextLoginOnLoopback(config.imap().plaintextLoginOnLoopback())
            .maxConnectionsPerUser(config.imap().maxConnectionsPerUser())
            .maxLineLength(config.imap().maxLineLength())
            .inMemoryLiteralLimit(config.imap().inMemoryLiteralLimit())
            .idleTimeout(Duration.ofSeconds(config.imap().idleTimeoutSeconds()))
            .maxConnections(config.imap().maxConnections())
            .maxConnectionsPerIp(config.imap().maxConnectionsPerIp())
            .trustedNetworks(TrustedNetworks.of(config.trustedNetworks()))
            .proxyProtocol(config.proxyProtocol().settings())
            .failedLoginDelay(Duration.ofMillis(config.imap().failedLoginDelayMillis()))
            .loginGuard(guard)
            .preAuthLiteralLimit(config.imap().preAuthLiteralLimit())
            .preAuthIdleTimeout(Duration.ofSeconds(config.imap().preAuthIdleTimeoutSeconds()))
            .maxPreAuthConnectionsPerIp(config.imap().maxPreAuthConnectionsPerIp())
            .build();
        bind(key, listener, () -> listeners.add(ImapServer.start(settings, store)));
    }

    private static void startPop3(List<AutoCloseable> listeners, String key, ServerConfig.Listener listener,
                                  ServerConfig config, SSLContext tls, MailStore store, LoginGuard guard) {
        if (!listener.enabled()) {
            return;
        }
        Pop3Settings settings = Pop3Settings.builder()
            .address(new InetSocketAddress(listener.address(), listener.port()))
            .tls(listener.tls(), tls)
            .hostname(config.hostname())
            .plaintextLoginOnLoopback(config.pop3().plaintextLoginOnLoopback())
            .idleTimeout(Duration.ofSeconds(config.pop3().idleTimeoutSeconds()))
            .maxConnections(config.pop3().maxConnections(), config.pop3().maxConnectionsPerIp())
            .trustedNetworks(TrustedNetworks.of(config.trustedNetworks()))
            .proxyProtocol(config.proxyProtocol().settings())
            .failedLoginDelay(Duration.ofMillis(config.pop3().failedLoginDelayMillis()))
            .preAuthIdleTimeout(Duration.ofSeconds(config.pop3().preAuthIdleTimeoutSeconds()))
            .maxPreAuthConnectionsPerIp(config.pop3().maxPreAuthConnectionsPerIp())
            .loginGuard(guard)
            .build();
        bind(key, listener, () -> listeners.add(Pop3Server.start(settings, store)));
    }

    private interface Binding {
        void bind() throws Exception;
    }

    private static void bind(String key, ServerConfig.Listener listener, Binding binding) {
        try {
            binding.bind();
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof BindException)) {
                cause = cause.getCause();
            }
            if (cause instanceof BindException) {
                throw new ConfigException(key + ": cannot listen on " + listener.address() + ":" + listener.port()
                    + " (" + cause.getMessage() + "; is the port already in use?)");
            }
            throw new ConfigException(key + ": cannot start: " + e);
        }
    }

    public MailStore store() {
        return store;
    }

    /** Outbound delivery (to wake it after a queue change made by hand). */
    public OutboundDelivery delivery() {
        return delivery;
    }

    public ServerConfig config() {
        return config;
    }

    /**
     * Closes the listeners at the same time, a thread each: every close waits out Netty's quiet period, so one
     * after another (or a common pool that is one thread wide on two cores) would add up to seconds.
     */
    private static void closeAll(List<? extends AutoCloseable> listeners) {
        everyAtOnce(listeners, listener -> {
            try {
                listener.close();
            } catch (Exception e) {
                LOGGER.warn("error while stopping a listener", e);
            }
        });
    }

    private static <T> void everyAtOnce(List<? extends T> items, java.util.function.Consumer<T> action) {
        List<Thread> threads = new ArrayList<>();
        for (T item : items) {
            Thread thread = new Thread(() -> action.accept(item), "letterbox-stop");
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Graceful stop: the admin endpoint closes; SMTP listeners turn new work away with 421 and give transactions
     * under way up to {@code smtp.shutdownTimeoutSeconds} to finish; then every listener closes, then the store.
     */
    @Override
    public void close() {
        LOGGER.info("Letterbox stopping");
        if (admin != null) {
            admin.close();
        }
        // SMTP first: transactions under way may finish (new ones get 421) while the other listeners still serve
        Duration grace = Duration.ofSeconds(config.smtp().shutdownTimeoutSeconds());
        everyAtOnce(listeners.stream().filter(SmtpServer.class::isInstance).map(SmtpServer.class::cast).toList(),
            smtp -> smtp.drain(grace));
        closeAll(listeners);
        upkeep.shutdownNow();
        delivery.close();
        if (certificate != null) {
            certificate.close();
        }
        store.close();
        LOGGER.info("Letterbox stopped");
    }

    /** {@code java ... LetterboxServer [conf/letterbox.yaml]}: runs in the foreground until SIGTERM or Ctrl-C. */
    public static void main(String[] args) {
        Path file = Path.of(args.length > 0 ? args[0] : "conf/letterbox.yaml");
        LetterboxServer server;
        try {
            server = start(new ConfigLoader().load(file));
        } catch (ConfigException | StoreException | IllegalArgumentException | IllegalStateException e) {
            System.err.println("letterbox: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "letterbox-shutdown"));
    }
}

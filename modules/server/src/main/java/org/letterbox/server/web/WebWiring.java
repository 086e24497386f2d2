package org.letterbox.server.web;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import javax.net.ssl.SSLContext;

import org.letterbox.dns.Dns;
import org.letterbox.dns.DnsAnswer;
import org.letterbox.dns.IpPreference;
import org.letterbox.net.TlsMode;
import org.letterbox.server.config.ServerConfig;
import org.letterbox.store.MailStore;
import org.letterbox.web.AcmeChallenges;
import org.letterbox.web.ClientEndpoint;
import org.letterbox.web.ClientSettings;
import org.letterbox.web.WebServer;
import org.letterbox.web.WebSettings;
import org.letterbox.web.acme.AcmeCertificates;
import org.letterbox.web.acme.AcmeSettings;

/** The web listener and ACME, from the configuration. */
public final class WebWiring {

    /** The names besides the host name a certificate covers for each local domain, when they lead here. */
    public static final List<String> CLIENT_NAME_PREFIXES = List.of("autoconfig.", "autodiscover.", "mta-sts.");

    private WebWiring() {
    }

    /** What clients are told: every enabled client listener with TLS, implicit TLS first (RFC 8314). */
    public static ClientSettings clientSettings(ServerConfig config) {
        List<ClientEndpoint> endpoints = new ArrayList<>();
        add(endpoints, ClientEndpoint.Protocol.IMAP, config.imap().imaps());
        add(endpoints, ClientEndpoint.Protocol.IMAP, config.imap().imap());
        add(endpoints, ClientEndpoint.Protocol.POP3, config.pop3().pop3s());
        add(endpoints, ClientEndpoint.Protocol.POP3, config.pop3().pop3());
        add(endpoints, ClientEndpoint.Protocol.SMTP, config.smtp().submissions());
        add(endpoints, ClientEndpoint.Protocol.SMTP, config.smtp().submission());
        return new ClientSettings(config.hostname(), endpoints);
    }

    private static void add(List<ClientEndpoint> endpoints, ClientEndpoint.Protocol protocol, ServerConfig.Listener listener) {
        if (!listener.enabled() || listener.tls() == TlsMode.NONE) {
            return;
        }
        endpoints.add(new ClientEndpoint(protocol, listener.port(), listener.tls() == TlsMode.IMPLICIT
            ? ClientEndpoint.Security.IMPLICIT_TLS : ClientEndpoint.Security.STARTTLS));
    }

    /** The web listener's settings from the {@code web} section. */
    public static WebSettings webSettings(ServerConfig config) {
        ServerConfig.WebConfig web = config.web();
        return new WebSettings(web.https().address(), web.https().port(), web.http().address(),
            web.http().enabled() ? web.http().port() : -1, web.mtaStsMode(), web.maxRequestBytes(), web.maxHeaderBytes(),
            web.requestTimeoutSeconds(), web.maxConnections(), web.maxConnectionsPerIp(), config.proxyProtocol().settings());
    }

    /** Starts the web listener; empty when {@code web.https} is off. */
    public static Optional<WebServer> start(ServerConfig config, SSLContext tls, MailStore store, AcmeChallenges challenges) {
        if (!config.web().https().enabled()) {
            return Optional.empty();
        }
        return Optional.of(WebServer.start(webSettings(config), clientSettings(config),
            domain -> store.accounts().isLocalDomain(domain), challenges, tls));
    }

    /** The ACME settings, its files in {@code DATA/acme}. */
    public static AcmeSettings acmeSettings(ServerConfig config, Path dataDirectory) {
        ServerConfig.AcmeConfig acme = config.acme();
        return new AcmeSettings(AcmeSettings.directory(acme.directory()), Optional.ofNullable(acme.email()),
            Optional.ofNullable(acme.trustCertificate()).map(Path::of), dataDirectory.resolve("acme"),
            Duration.ofDays(acme.renewDaysBefore()), Duration.ofMinutes(acme.retryMinutes()), AcmeSettings.DEFAULT_CHECK_EVERY,
            AcmeSettings.Challenge.parse(acme.challenge()));
    }

    /** Starts obtaining and renewing certificates; {@code installed} makes the listeners load a new pair. */
    public static AcmeCertificates startAcme(ServerConfig config, Path dataDirectory, MailStore store, AcmeChallenges challenges,
                                             Runnable installed) {
        Duration timeout = Duration.ofSeconds(config.dns().timeoutSeconds());
        Dns dns = new Dns(Dns.resolver(config.dns().servers().stream().map(Dns::server).toList(), timeout), timeout, new Random());
        AcmeCertificates certificates = new AcmeCertificates(acmeSettings(config, dataDirectory),
            () -> names(config.hostname(), store.accounts().listDomains(), dns), challenges, installed, Clock.systemUTC());
        certificates.start();
        return certificates;
    }

    /**
     * The host name, and each local domain's client names that resolve to one of the host name's addresses (a CA
     * could not check the others, and one unreachable name would fail the whole order).
     */
    public static List<String> names(String hostname, List<String> domains, Dns dns) {
        List<String> names = new ArrayList<>(List.of(hostname));
        Set<InetAddress> ours = new HashSet<>(addresses(dns, hostname));
        if (ours.isEmpty()) {
            return names;
        }
        for (String domain : domains) {
            for (String prefix : CLIENT_NAME_PREFIXES) {
                String name = prefix + Dns.ascii(domain);
                if (addresses(dns, name).stream().anyMatch(ours::contains)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static List<InetAddress> addresses(Dns dns, String name) {
        return dns.addresses(name, IpPreference.PREFER_IPV4) instanceof DnsAnswer.Found<InetAddress> found ? found.values() : List.of();
    }
}

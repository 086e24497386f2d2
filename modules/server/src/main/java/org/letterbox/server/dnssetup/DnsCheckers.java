package org.letterbox.server.dnssetup;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;

import org.letterbox.delivery.tls.MtaStsFetcher;
import org.letterbox.delivery.tls.TlsContexts;
import org.letterbox.dns.Dns;
import org.letterbox.mailauth.spf.SpfChecker;
import org.letterbox.server.config.DeliveryConfig;
import org.letterbox.server.config.ServerConfig;

/** A {@link DnsChecker} as the configuration sets it up: its resolvers, the MX port, the relay if any. */
public final class DnsCheckers {

    private DnsCheckers() {
    }

    /** @param probeDomain whose MX the outbound port 25 probe tries; null for {@link OutboundPort25#DEFAULT_PROBE_DOMAIN} */
    public static DnsChecker of(ServerConfig config, String probeDomain) {
        Duration timeout = Duration.ofSeconds(config.dns().timeoutSeconds());
        org.xbill.DNS.Resolver resolver = Dns.resolver(config.dns().servers().stream().map(Dns::server).toList(), timeout);
        Dns dns = new Dns(resolver, timeout, new Random());
        MtaStsFetcher mtaSts;
        try {
            mtaSts = new MtaStsFetcher(dns, new TlsContexts(TlsContexts.jdkTrust()).webPki(), config.delivery().mtaStsPort(),
                Clock.systemUTC());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no trust store for HTTPS: " + e.getMessage(), e);
        }
        DeliveryConfig.SmarthostConfig relay = config.delivery().smarthost();
        Optional<String> smarthost = relay != null && relay.host() != null && relay.domains().isEmpty() && relay.afterFailures() == 0
            ? Optional.of(relay.host() + ":" + relay.port()) : Optional.empty();
        OutboundPort25 probe = new OutboundPort25(probeDomain == null ? OutboundPort25.DEFAULT_PROBE_DOMAIN : probeDomain,
            config.delivery().mxPort(), OutboundPort25.DEFAULT_TIMEOUT);
        return new DnsChecker(dns, new SpfChecker(dns, config.hostname(), timeout), Optional.of(mtaSts), Optional.of(probe), smarthost);
    }
}

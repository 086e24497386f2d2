package org.letterbox.delivery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.letterbox.delivery.client.SmtpTimeouts;
import org.letterbox.dns.DnssecMode;
import org.letterbox.dns.IpPreference;
import org.letterbox.delivery.route.Smarthost;
import org.letterbox.delivery.tls.TlsOverride;

/**
 * Everything outbound delivery is told, with its defaults and floors: the one home of these values. The server's
 * configuration file maps its {@code delivery} and {@code dns} sections onto this.
 *
 * @param enabled false to leave the queue alone (mail is queued, nothing is sent)
 * @param hostname our name in EHLO and in reports
 * @param maxConcurrent deliveries at once over all destinations (default {@value #DEFAULT_MAX_CONCURRENT})
 * @param maxPerDestination deliveries at once to one domain, reached by starting at one and growing with each
 *                          attempt that reached a server (default {@value #DEFAULT_MAX_PER_DESTINATION})
 * @param ipPreference which address families to connect to, in which order (default prefer-ipv4)
 * @param sourceAddresses local addresses to send from, at most one per family (default: the system's choice)
 * @param mxPort the port of MX hosts: 25. Another value is for tests only (a receiving server on a high port)
 * @param retryDelays the waits after the first, second, ... failed attempt; the last repeats (default 5 m, 10 m,
 *                    30 m, 1 h, 2 h, 4 h, then every 6 h)
 * @param giveUpAfter how long a message is tried before it bounces (default 5 days, RFC 5321 §4.5.4.1)
 * @param retryJitterPercent how far a retry may move either way, in percent of its delay (default 10, at most 50)
 * @param delayNoticeAfter how late a message is when its sender is told it is still being tried (default 4 h; zero:
 *                         never)
 * @param timeouts the SMTP client's waits (RFC 5321 §4.5.3.2 by default)
 * @param tlsPolicies per destination domain: none, require-tls or verify, above DANE and MTA-STS
 * @param dane use DANE (RFC 7672) where DNSSEC validates the MX and TLSA records (default true)
 * @param mtaSts use MTA-STS (RFC 8461) policies (default true)
 * @param mtaStsPort the HTTPS port MTA-STS policies are fetched from: 443. Another value is for tests only
 * @param smarthost a relay for all (or some) outbound mail
 * @param dnsServers DNS resolvers to ask ({@code host:port}); empty: the system's, from /etc/resolv.conf
 * @param dnsTimeout the longest wait for one DNS answer (default {@value #DEFAULT_DNS_TIMEOUT_SECONDS} s)
 * @param dnssec where DNSSEC validation comes from (default validate: our own, from the root's trust anchors); DANE
 *               needs it. Where the resolvers strip DNSSEC records, validation is switched off at start-up, with a
 *               warning
 * @param selfListeners where our own MX listener is bound, so that mail to ourselves is caught as a configuration
 *                      error
 */
public record DeliverySettings(boolean enabled, String hostname, int maxConcurrent, int maxPerDestination,
                               IpPreference ipPreference, List<InetAddress> sourceAddresses, int mxPort,
                               List<Duration> retryDelays, Duration giveUpAfter, int retryJitterPercent,
                               Duration delayNoticeAfter, SmtpTimeouts timeouts, Map<String, TlsOverride> tlsPolicies,
                               boolean dane, boolean mtaSts, int mtaStsPort, Optional<Smarthost> smarthost,
                               List<InetSocketAddress> dnsServers, Duration dnsTimeout, DnssecMode dnssec,
                               List<InetSocketAddress> selfListeners) {

    public static final int DEFAULT_MAX_CONCURRENT = 20;
    public static final int DEFAULT_MAX_PER_DESTINATION = 16;
    public static final int DEFAULT_MX_PORT = 25;
    public static final List<Duration> DEFAULT_RETRY_DELAYS = List.of(Duration.ofMinutes(5), Duration.ofMinutes(10),
        Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(6));
    public static final Duration DEFAULT_GIVE_UP_AFTER = Duration.ofDays(5);
    public static final int DEFAULT_RETRY_JITTER_PERCENT = 10;
    public static final Duration DEFAULT_DELAY_NOTICE_AFTER = Duration.ofHours(4);
    public static final int DEFAULT_MTA_STS_PORT = 443;
    public static final int DEFAULT_DNS_TIMEOUT_SECONDS = 5;
    /** How long a claim holds an entry being delivered: longer than any one attempt can take. */
    public static final Duration CLAIM_LEASE = Duration.ofHours(1);

    public DeliverySettings {
        sourceAddresses = List.copyOf(sourceAddresses);
        retryDelays = List.copyOf(retryDelays);
        tlsPolicies = Map.copyOf(tlsPolicies);
        dnsServers = List.copyOf(dnsServers);
        selfListeners = List.copyOf(selfListeners);
        if (maxConcurrent < 1 || maxPerDestination < 1) {
            throw new IllegalArgumentException("delivery concurrency must be at least 1");
        }
        if (mxPort < 1 || mxPort > 65535 || mtaStsPort < 1 || mtaStsPort > 65535) {
            throw new IllegalArgumentException("ports must be between 1 and 65535");
        }
    }

    /** Every default, for a server called {@code hostname}. */
    public static DeliverySettings defaults(String hostname) {
        return builder(hostname).build();
    }

    /** A builder holding every default, for a server called {@code hostname}. */
    public static Builder builder(String hostname) {
        return new Builder(hostname);
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        Builder b = new Builder(hostname);
        b.enabled = enabled;
        b.maxConcurrent = maxConcurrent;
        b.maxPerDestination = maxPerDestination;
        b.ipPreference = ipPreference;
        b.sourceAddresses = sourceAddresses;
        b.mxPort = mxPort;
        b.retryDelays = retryDelays;
        b.giveUpAfter = giveUpAfter;
        b.retryJitterPercent = retryJitterPercent;
        b.delayNoticeAfter = delayNoticeAfter;
        b.timeouts = timeouts;
        b.tlsPolicies = tlsPolicies;
        b.dane = dane;
        b.mtaSts = mtaSts;
        b.mtaStsPort = mtaStsPort;
        b.smarthost = smarthost;
        b.dnsServers = dnsServers;
        b.dnsTimeout = dnsTimeout;
        b.dnssec = dnssec;
        b.selfListeners = selfListeners;
        return b;
    }

    /** Settings built up from the defaults. */
    public static final class Builder {
        private final String hostname;
        private boolean enabled = true;
        private int maxConcurrent = DEFAULT_MAX_CONCURRENT;
        private int maxPerDestination = DEFAULT_MAX_PER_DESTINATION;
        private IpPreference ipPreference = IpPreference.PREFER_IPV4;
        private List<InetAddress> sourceAddresses = List.of();
        private int mxPort = DEFAULT_MX_PORT;
        private List<Duration> retryDelays = DEFAULT_RETRY_DELAYS;
        private Duration giveUpAfter = DEFAULT_GIVE_UP_AFTER;
        private int retryJitterPercent = DEFAULT_RETRY_JITTER_PERCENT;
        private Duration delayNoticeAfter = DEFAULT_DELAY_NOTICE_AFTER;
        private SmtpTimeouts timeouts = SmtpTimeouts.RFC_5321;
        private Map<String, TlsOverride> tlsPolicies = Map.of();
        private boolean dane = true;
        private boolean mtaSts = true;
        private int mtaStsPort = DEFAULT_MTA_STS_PORT;
        private Optional<Smarthost> smarthost = Optional.empty();
        private List<InetSocketAddress> dnsServers = List.of();
        private Duration dnsTimeout = Duration.ofSeconds(DEFAULT_DNS_TIMEOUT_SECONDS);
        private DnssecMode dnssec = DnssecMode.VALIDATE;
        private List<InetSocketAddress> selfListeners = List.of();

        private Builder(String hostname) {
            this.hostname = hostname;
        }

        public Builder enabled(boolean value) { enabled = value; return this; }
        public Builder concurrency(int total, int perDestination) { maxConcurrent = total; maxPerDestination = perDestination; return this; }
        public Builder ipPreference(IpPreference value) { ipPreference = value; return this; }
        public Builder sourceAddresses(List<InetAddress> value) { sourceAddresses = value; return this; }
        public Builder mxPort(int value) { mxPort = value; return this; }
        public Builder retry(List<Duration> delays, Duration giveUp, int jitterPercent) {
            retryDelays = delays;
            giveUpAfter = giveUp;
            retryJitterPercent = jitterPercent;
            return this;
        }
        public Builder delayNoticeAfter(Duration value) { delayNoticeAfter = value; return this; }
        public Builder timeouts(SmtpTimeouts value) { timeouts = value; return this; }
        public Builder tlsPolicies(Map<String, TlsOverride> value) { tlsPolicies = value; return this; }
        public Builder dane(boolean value) { dane = value; return this; }
        public Builder mtaSts(boolean value) { mtaSts = value; return this; }
        public Builder mtaStsPort(int value) { mtaStsPort = value; return this; }
        public Builder smarthost(Optional<Smarthost> value) { smarthost = value; return this; }
        public Builder dns(List<InetSocketAddress> servers, Duration timeout, DnssecMode mode) {
            dnsServers = servers;
            dnsTimeout = timeout;
            dnssec = mode;
            return this;
        }
        public Builder selfListeners(List<InetSocketAddress> value) { selfListeners = value; return this; }

        public DeliverySettings build() {
            return new DeliverySettings(enabled, hostname, maxConcurrent, maxPerDestination, ipPreference, sourceAddresses,
                mxPort, retryDelays, giveUpAfter, retryJitterPercent, delayNoticeAfter, timeouts, tlsPolicies, dane,
                mtaSts, mtaStsPort, smarthost, dnsServers, dnsTimeout, dnssec, selfListeners);
        }
    }
}

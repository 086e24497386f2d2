package org.letterbox.server.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.letterbox.delivery.DeliverySettings;
import org.letterbox.delivery.client.SmtpTimeouts;
import org.letterbox.dns.IpPreference;
import org.letterbox.delivery.tls.TlsOverride;


/**
 * The {@code delivery} section: how mail for other servers leaves the queue. Defaults come from
 * {@link DeliverySettings}.
 *
 * @param enabled false to keep outbound mail in the queue, unsent (default true)
 * @param maxConcurrent deliveries at once over all destinations (default 20)
 * @param maxPerDestination deliveries at once to one domain; a domain starts at one and gains one per attempt that
 *                          reached its server (default 16)
 * @param ipPreference ipv4, ipv6, prefer-ipv4 or prefer-ipv6 (default prefer-ipv4: Gmail refuses IPv6 senders
 *                     without reverse DNS)
 * @param sourceAddresses local addresses to send from, one IPv4 and one IPv6 at most (default: the system's choice)
 * @param mxPort the port of other servers' MX hosts: 25. For tests only (a receiving server on a high port)
 * @param retryMinutes the waits after the first, second, ... failed attempt; the last one repeats (default 5, 10,
 *                     30, 60, 120, 240, 360)
 * @param giveUpHours how long a message is tried before it is bounced (default 120)
 * @param retryJitterPercent how far a retry may move either way, in percent of its wait, 0 to 50 (default 10)
 * @param delayNoticeHours how late a message is when its sender is told it is still being tried; 0 for never
 *                         (default 4)
 * @param connectTimeoutSeconds longest wait for a TCP connection (default 30)
 * @param greetingTimeoutSeconds longest wait for a server's greeting (default 300, RFC 5321 §4.5.3.2)
 * @param commandTimeoutSeconds longest wait for the reply to EHLO, STARTTLS, MAIL, RCPT (default 300)
 * @param dataInitiationTimeoutSeconds longest wait for the reply to DATA (default 120)
 * @param dataBlockTimeoutSeconds longest a server may take to accept a block of message data (default 180)
 * @param dataTerminationTimeoutSeconds longest wait for the reply to the final dot (default 600)
 * @param tlsPolicies per destination domain, {@code none}, {@code require-tls} or {@code verify}; above DANE and
 *                    MTA-STS (default none set)
 * @param dane use DANE (RFC 7672) where DNSSEC validates a domain's MX and TLSA records (default true)
 * @param mtaSts honour domains' MTA-STS policies (RFC 8461) (default true)
 * @param mtaStsPort the HTTPS port policies are fetched from: 443. For tests only
 * @param smarthost a relay for outbound mail (default: none, mail goes straight to each domain's MX)
 */
public record DeliveryConfig(
    Boolean enabled,
    Integer maxConcurrent,
    Integer maxPerDestination,
    String ipPreference,
    List<String> sourceAddresses,
    Integer mxPort,
    List<Integer> retryMinutes,
    Integer giveUpHours,
    Integer retryJitterPercent,
    Integer delayNoticeHours,
    Integer connectTimeoutSeconds,
    Integer greetingTimeoutSeconds,
    Integer commandTimeoutSeconds,
    Integer dataInitiationTimeoutSeconds,
    Integer dataBlockTimeoutSeconds,
    Integer dataTerminationTimeoutSeconds,
    Map<String, String> tlsPolicies,
    Boolean dane,
    Boolean mtaSts,
    Integer mtaStsPort,
    SmarthostConfig smarthost) {

    public DeliveryConfig {
        DeliverySettings defaults = DeliverySettings.defaults("localhost");
        SmtpTimeouts rfc = SmtpTimeouts.RFC_5321;
        enabled = enabled == null ? Boolean.TRUE : enabled;
        maxConcurrent = ServerConfig.positive("delivery.maxConcurrent", maxConcurrent, defaults.maxConcurrent());
        maxPerDestination = ServerConfig.positive("delivery.maxPerDestination", maxPerDestination, defaults.maxPerDestination());
        ipPreference = ipPreference == null ? defaults.ipPreference().toString() : ipPreference;
        try {
            IpPreference.parse(ipPreference);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("delivery.ipPreference: " + e.getMessage());
        }
        sourceAddresses = sourceAddresses == null ? List.of() : List.copyOf(sourceAddresses);
        mxPort = port("delivery.mxPort", mxPort, defaults.mxPort());
        retryMinutes = retryMinutes == null
            ? defaults.retryDelays().stream().map(d -> (int) d.toMinutes()).toList() : List.copyOf(retryMinutes);
        if (retryMinutes.isEmpty() || retryMinutes.stream().anyMatch(m -> m == null || m < 1)) {
            throw new IllegalArgumentException("delivery.retryMinutes must be a list of whole minutes, each at least 1");
        }
        giveUpHours = ServerConfig.positive("delivery.giveUpHours", giveUpHours, (int) defaults.giveUpAfter().toHours());
        retryJitterPercent = ServerConfig.atLeast("delivery.retryJitterPercent", retryJitterPercent,
            defaults.retryJitterPercent(), 0);
        if (retryJitterPercent > 50) {
            throw new IllegalArgumentException("delivery.retryJitterPercent must be at most 50, not " + retryJitterPercent);
        }
        delayNoticeHours = ServerConfig.atLeast("delivery.delayNoticeHours", delayNoticeHours,
            (int) defaults.delayNoticeAfter().toHours(), 0);
        connectTimeoutSeconds = ServerConfig.positive("delivery.connectTimeoutSeconds", connectTimeoutSeconds,
            (int) rfc.connect().toSeconds());
        greetingTimeoutSeconds = ServerConfig.positive("delivery.greetingTimeoutSeconds", greetingTimeoutSeconds,
            (int) rfc.greeting().toSeconds());
        commandTimeoutSeconds = ServerConfig.positive("delivery.commandTimeoutSeconds", commandTimeoutSeconds,
            (int) rfc.command().toSeconds());
        dataInitiationTimeoutSeconds = ServerConfig.positive("delivery.dataInitiationTimeoutSeconds",
            dataInitiationTimeoutSeconds, (int) rfc.dataInitiation().toSeconds());
        dataBlockTimeoutSeconds = ServerConfig.positive("delivery.dataBlockTimeoutSeconds", dataBlockTimeoutSeconds,
            (int) rfc.dataBlock().toSeconds());
        dataTerminationTimeoutSeconds = ServerConfig.positive("delivery.dataTerminationTimeoutSeconds",
            dataTerminationTimeoutSeconds, (int) rfc.dataTermination().toSeconds());
        tlsPolicies = tlsPolicies == null ? Map.of() : Map.copyOf(tlsPolicies);
        for (Map.Entry<String, String> policy : tlsPolicies.entrySet()) {
            try {
                TlsOverride.parse(policy.getValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("delivery.tlsPolicies." + policy.getKey() + ": " + e.getMessage());
            }
        }
        dane = dane == null ? Boolean.valueOf(defaults.dane()) : dane;
        mtaSts = mtaSts == null ? Boolean.valueOf(defaults.mtaSts()) : mtaSts;
        mtaStsPort = port("delivery.mtaStsPort", mtaStsPort, defaults.mtaStsPort());
        smarthost = smarthost == null ? new SmarthostConfig(null, null, null, null, null, null, null, null, null) : smarthost;
    }

    static DeliveryConfig defaults() {
        return new DeliveryConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null);
    }

    private static Integer port(String key, Integer value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException(key + " must be between 1 and 65535, not " + value);
        }
        return value;
    }

    /** The SMTP client's timeouts. */
    public SmtpTimeouts timeouts() {
        return new SmtpTimeouts(Duration.ofSeconds(connectTimeoutSeconds), Duration.ofSeconds(greetingTimeoutSeconds),
            Duration.ofSeconds(commandTimeoutSeconds), Duration.ofSeconds(dataInitiationTimeoutSeconds),
            Duration.ofSeconds(dataBlockTimeoutSeconds), Duration.ofSeconds(dataTerminationTimeoutSeconds));
    }

    /**
     * A relay for outbound mail (for a network whose provider blocks port 25).
     *
     * @param host the relay's host name; none: no relay (default none)
     * @param port its port (default 587)
     * @param tls starttls (required, never plain text) or implicit (port 465) (default starttls)
     * @param user the AUTH user name (PLAIN, or LOGIN when the relay offers only that); none: no AUTH (default none)
     * @param passwordFile a file whose first line is the password (its line break is not part of it) (default none)
     * @param passwordEnv the name of an environment variable holding the password, instead of a file (default none)
     * @param domains destination domains that go through the relay; empty: every domain (default [])
     * @param afterFailures 0: always the relay; N: try the MX directly first, and the relay once a message has
     *                      failed N direct attempts (default 0)
     * @param verifyCertificate whether the relay's certificate must be valid for its host name (default true)
     */
    public record SmarthostConfig(String host, Integer port,
                                  String tls, String user,
                                  String passwordFile,
                                  String passwordEnv,
                                  List<String> domains,
                                  Integer afterFailures,
                                  Boolean verifyCertificate) {
        public SmarthostConfig {
            port = DeliveryConfig.port("delivery.smarthost.port", port, 587);
            tls = tls == null ? "starttls" : tls.trim().toLowerCase(java.util.Locale.ROOT);
            if (!tls.equals("starttls") && !tls.equals("implicit")) {
                throw new IllegalArgumentException("delivery.smarthost.tls must be starttls or implicit, not " + tls);
            }
            domains = domains == null ? List.of() : List.copyOf(domains);
            afterFailures = ServerConfig.atLeast("delivery.smarthost.afterFailures", afterFailures, 0, 0);
            verifyCertificate = verifyCertificate == null ? Boolean.TRUE : verifyCertificate;
            if (user != null && passwordFile == null && passwordEnv == null) {
                throw new IllegalArgumentException("delivery.smarthost.user needs delivery.smarthost.passwordFile or"
                    + " delivery.smarthost.passwordEnv");
            }
            if (passwordFile != null && passwordEnv != null) {
                throw new IllegalArgumentException("delivery.smarthost: give passwordFile or passwordEnv, not both");
            }
        }

        @Override
        public String toString() {
            return "SmarthostConfig[" + host + ":" + port + " " + tls + (user == null ? "" : " user=" + user) + "]";
        }
    }

    /**
     * The {@code dns} section: the resolvers outbound delivery asks.
     *
     * @param servers resolvers as {@code host} or {@code host:port}; empty: the system's, from /etc/resolv.conf
     *                (default [])
     * @param timeoutSeconds longest wait for one answer (default 5)
     * @param dnssec where DNSSEC validation (which DANE needs) comes from: validate (our own, from the root's trust
     *               anchors; switched off with a warning at start-up when the resolvers strip DNSSEC records), resolver
     *               (the AD flag of a validating resolver on this machine), off (default validate)
     */
    public record DnsConfig(List<String> servers, Integer timeoutSeconds,
                            String dnssec) {
        public DnsConfig {
            servers = servers == null ? List.of() : List.copyOf(servers);
            for (String server : servers) {
                try {
                    org.letterbox.dns.Dns.server(server);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("dns.servers: " + e.getMessage());
                }
            }
            timeoutSeconds = ServerConfig.positive("dns.timeoutSeconds", timeoutSeconds,
                DeliverySettings.DEFAULT_DNS_TIMEOUT_SECONDS);
            dnssec = dnssec == null ? org.letterbox.dns.DnssecMode.VALIDATE.toString() : dnssec;
            try {
                org.letterbox.dns.DnssecMode.parse(dnssec);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("dns.dnssec: " + e.getMessage());
            }
        }

        static DnsConfig defaults() {
            return new DnsConfig(null, null, null);
        }
    }
}

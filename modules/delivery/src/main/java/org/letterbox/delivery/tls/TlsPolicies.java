package org.letterbox.delivery.tls;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.letterbox.dns.DnsAnswer;
import org.letterbox.dns.Dns;
import org.letterbox.dns.MxHost;
import org.xbill.DNS.TLSARecord;

/**
 * Decides the TLS policy of each MX host, strongest source first: the configuration's override for the domain,
 * then DANE (when the MX answer and the host's TLSA records validate with DNSSEC), then the domain's MTA-STS policy,
 * and otherwise opportunistic STARTTLS.
 */
public final class TlsPolicies {

    /** What a domain's policy sources said, looked up once per delivery attempt. */
    public record DomainTls(String domain, Optional<TlsOverride> override, Optional<MtaStsPolicy> mtaSts) {
    }

    private final Map<String, TlsOverride> overrides;
    private final Dns dns;
    private final boolean dane;
    private final MtaSts mtaSts;
    private final int port;

    /**
     * @param overrides per destination domain (lower case, ASCII form)
     * @param dane whether to use DANE where DNSSEC allows it
     * @param mtaSts the MTA-STS policy source, or null for none
     * @param port the port MX hosts are reached on (their TLSA records are at {@code _PORT._tcp.HOST})
     */
    public TlsPolicies(Map<String, TlsOverride> overrides, Dns dns, boolean dane, MtaSts mtaSts, int port) {
        this.overrides = Map.copyOf(overrides);
        this.dns = dns;
        this.dane = dane;
        this.mtaSts = mtaSts;
        this.port = port;
    }

    public DomainTls forDomain(String domain) {
        String key = Dns.ascii(domain);
        Optional<TlsOverride> override = Optional.ofNullable(overrides.get(key));
        Optional<MtaStsPolicy> policy = override.isEmpty() && mtaSts != null ? mtaSts.policy(key) : Optional.empty();
        return new DomainTls(key, override, policy.filter(p -> p.mode() != MtaStsPolicy.Mode.NONE));
    }

    /** The policy for one MX host of {@code domain}; {@code mxSecure} says whether its MX answer validated. */
    public TlsPolicy forHost(DomainTls domain, MxHost host, boolean mxSecure) {
        if (domain.override().isPresent()) {
            return switch (domain.override().get()) {
                case NONE -> new TlsPolicy.Plain("configuration");
                case REQUIRE_TLS -> new TlsPolicy.Required(new TlsPolicy.AnyCertificate(), "configuration", false);
                case VERIFY -> new TlsPolicy.Required(new TlsPolicy.WebPki(host.name()), "configuration", false);
            };
        }
        if (dane && mxSecure) {
            DnsAnswer<TLSARecord> tlsa = dns.tlsa("_" + port + "._tcp." + host.name());
            if (tlsa instanceof DnsAnswer.TemporaryFailure<TLSARecord> failure) {
                // RFC 7672 §2.2: a signed zone whose TLSA records cannot be had makes the host unusable
                return new TlsPolicy.Unusable("TLSA records of " + host.name() + " cannot be had: " + failure.reason(), "dane");
            }
            if (tlsa instanceof DnsAnswer.Found<TLSARecord> found && found.secure()) {
                List<TLSARecord> usable = found.values().stream()
                    .filter(r -> r.getCertificateUsage() == TLSARecord.CertificateUsage.DOMAIN_ISSUED_CERTIFICATE
                        || r.getCertificateUsage() == TLSARecord.CertificateUsage.TRUST_ANCHOR_ASSERTION)
                    .toList();
                if (usable.isEmpty()) {
                    // only unusable records: TLS is still required, without authentication (RFC 7672 §2.2)
                    return new TlsPolicy.Required(new TlsPolicy.AnyCertificate(), "dane", false);
                }
                return new TlsPolicy.Required(new TlsPolicy.Dane(usable, host.name()), "dane", false);
            }
        }
        if (domain.mtaSts().isPresent()) {
            MtaStsPolicy policy = domain.mtaSts().get();
            boolean testing = policy.mode() == MtaStsPolicy.Mode.TESTING;
            if (!policy.allows(host.name()) && !testing) {
                return new TlsPolicy.Unusable("MX host " + host.name() + " is not in the MTA-STS policy of "
                    + domain.domain() + " (" + String.join(", ", policy.mx()) + ")", "mta-sts");
            }
            return new TlsPolicy.Required(new TlsPolicy.WebPki(host.name()), "mta-sts", testing);
        }
        return new TlsPolicy.Opportunistic("default");
    }

    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}

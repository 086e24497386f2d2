package org.letterbox.dns;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;

import org.xbill.DNS.Resolver;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * DNSSEC validation of our own, with dnsjava's validating resolver and the root zone's trust anchors (KSK-2017 and
 * KSK-2024, as IANA publishes them). It is only worth having when the resolvers behind it pass DNSSEC records on, so
 * it is checked first: the root's own keys must validate.
 */
public final class Dnssec {

    private Dnssec() {
    }

    /**
     * A {@link Dns} whose answers carry "secure" only when they validate; empty when the resolvers behind
     * {@code plain} do not let the root's keys validate (they strip DNSSEC records, or there is no network), with
     * {@code why} telling it.
     */
    public static Optional<Dns> validating(Resolver plain, Duration timeout, Random random, StringBuilder why) {
        try {
            ValidatingResolver resolver = new ValidatingResolver(plain);
            try (InputStream anchors = Dnssec.class.getResourceAsStream("root-anchors.txt")) {
                resolver.loadTrustAnchors(anchors);
            }
            resolver.setTimeout(timeout);
            Dns dns = new Dns(resolver, timeout, random);
            DnsAnswer<String> probe = dns.txt(".");
            boolean secure = (probe instanceof DnsAnswer.Found<String> found && found.secure())
                || (probe instanceof DnsAnswer.NotFound<String> none && none.secure());
            if (!secure) {
                why.append("the root's keys cannot be checked through these resolvers");
                return Optional.empty();
            }
            return Optional.of(dns);
        } catch (IOException | RuntimeException e) {
            why.append("cannot set up DNSSEC validation: ").append(e);
            return Optional.empty();
        }
    }
}

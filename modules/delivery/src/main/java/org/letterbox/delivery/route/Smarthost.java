package org.letterbox.delivery.route;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A relay that takes our outbound mail instead of the destination's MX (for a network whose provider blocks port
 * 25, or a provider's relay that has a reputation).
 *
 * @param host the relay's host name (or address)
 * @param port its port (587 for STARTTLS, 465 for implicit TLS)
 * @param implicitTls true for TLS from the first byte (port 465); false for STARTTLS, which is then required
 * @param username the AUTH user; empty for no AUTH
 * @param password the AUTH password (never logged; {@link #toString()} leaves it out)
 * @param domains the destination domains that go through the relay; empty for every domain
 * @param afterFailures 0 to always use the relay; N to try the MX hosts directly first and use the relay once a
 *                      message has failed N direct attempts
 * @param verifyCertificate whether the relay's certificate must chain to a trusted root and name the host
 */
public record Smarthost(String host, int port, boolean implicitTls, Optional<String> username, Optional<String> password,
                        Set<String> domains, int afterFailures, boolean verifyCertificate) {

    public Smarthost {
        domains = Set.copyOf(domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList());
        if (username.isPresent() != password.isPresent()) {
            throw new IllegalArgumentException("a smarthost user needs a password, and a password a user");
        }
    }

    /** Whether a message to {@code domain} that has failed {@code attempts} times goes through the relay now. */
    public boolean appliesTo(String domain, int attempts) {
        return (domains.isEmpty() || domains.contains(domain.toLowerCase(Locale.ROOT))) && attempts >= afterFailures;
    }

    @Override
    public String toString() {
        return "Smarthost[" + host + ":" + port + (implicitTls ? " tls" : " starttls")
            + username.map(u -> " user=" + u).orElse("") + "]";
    }
}

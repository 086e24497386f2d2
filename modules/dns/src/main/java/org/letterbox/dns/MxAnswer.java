package org.letterbox.dns;

import java.util.List;

/** Where mail for a domain goes, as its MX records (or their absence) say. */
public sealed interface MxAnswer {

    /**
     * The hosts to try, in order: by preference, random among equal ones; one implicit host when the domain has no
     * MX but exists.
     *
     * @param secure true when the MX answer was validated with DNSSEC (a precondition of DANE)
     */
    record Hosts(List<MxHost> hosts, boolean secure) implements MxAnswer {
        public Hosts {
            hosts = List.copyOf(hosts);
        }
    }

    /** The domain publishes a null MX (RFC 7505): it accepts no mail. Bounced at once. */
    record NullMx(String domain) implements MxAnswer {
    }

    /** The domain does not exist. Bounced at once. */
    record NoSuchDomain(String domain) implements MxAnswer {
    }

    /** The answer could not be had; retried later. */
    record TemporaryFailure(String reason) implements MxAnswer {
    }
}

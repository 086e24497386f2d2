package org.letterbox.delivery.tls;

import java.util.List;

import org.xbill.DNS.TLSARecord;

/** What one connection to one MX host must do about TLS. */
public sealed interface TlsPolicy {

    /** Where the policy came from, for logs and bounces ({@code configuration}, {@code mta-sts}, {@code dane}). */
    String source();

    /** No STARTTLS at all. */
    record Plain(String source) implements TlsPolicy {
    }

    /**
     * STARTTLS when the peer offers it, with any certificate; when the peer offers none, or the handshake fails,
     * the message goes in plain text (the connection is made again without TLS).
     */
    record Opportunistic(String source) implements TlsPolicy {
    }

    /**
     * STARTTLS must be offered and succeed with a certificate that passes {@code verification}; otherwise this
     * host is not used (a temporary failure when no other host will do).
     *
     * @param reportOnly true for an MTA-STS policy in {@code testing} mode: a failure is logged, and the message
     *                   goes as if the policy were opportunistic
     */
    record Required(Verification verification, String source, boolean reportOnly) implements TlsPolicy {
    }

    /** This host must not be used at all (its TLSA records cannot be had, or MTA-STS does not list it). */
    record Unusable(String reason, String source) implements TlsPolicy {
    }

    /** How the certificate is checked. */
    sealed interface Verification {
    }

    /** Any certificate. */
    record AnyCertificate() implements Verification {
    }

    /** A chain to a trusted root (WebPKI) for the MX host name. */
    record WebPki(String hostName) implements Verification {
    }

    /** DANE (RFC 7672): the certificate matches one of the MX host's TLSA records (usage 3, or usage 2 with the name). */
    record Dane(List<TLSARecord> records, String hostName) implements Verification {
        public Dane {
            records = List.copyOf(records);
        }
    }
}

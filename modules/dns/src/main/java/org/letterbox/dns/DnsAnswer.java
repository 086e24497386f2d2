package org.letterbox.dns;

import java.util.List;

/**
 * What a DNS question got: records, a definite no, or no answer at all. A definite no ends delivery to that
 * destination (a bounce); no answer is a temporary failure, retried later.
 *
 * @param <T> what the records were turned into
 */
public sealed interface DnsAnswer<T> {

    /**
     * The records.
     *
     * @param secure true when every answer on the way (CNAMEs included) was validated with DNSSEC
     */
    record Found<T>(List<T> values, boolean secure) implements DnsAnswer<T> {
        public Found {
            values = List.copyOf(values);
        }
    }

    /** The name does not exist (NXDOMAIN), or exists without records of the type asked for (NODATA). */
    record NotFound<T>(String name, boolean nameExists, boolean secure) implements DnsAnswer<T> {
    }

    /** No answer could be had: a timeout, SERVFAIL, a refusal, a broken answer. Worth asking again later. */
    record TemporaryFailure<T>(String reason) implements DnsAnswer<T> {
    }
}

package org.letterbox.server.dnssetup;

import java.util.List;

/**
 * The records a domain served here needs, and what a zone snippet cannot say.
 *
 * @param records what to publish, in the order they are best explained in
 * @param notes things to do elsewhere (reverse DNS at the provider) or to know (how web forms want long TXT records)
 */
public record DnsPlan(String domain, List<DnsRecord> records, List<String> notes) {
    public DnsPlan {
        records = List.copyOf(records);
        notes = List.copyOf(notes);
    }
}

package org.letterbox.server.dnssetup;

import java.util.List;

/** Every check of a domain's live DNS, in the order of {@link DnsPlanner}'s records. */
public record DnsReport(String domain, List<DnsFinding> findings) {
    public DnsReport {
        findings = List.copyOf(findings);
    }

    /** Whether nothing is missing or wrong (checks that could not be made aside). */
    public boolean allOk() {
        return findings.stream().noneMatch(finding -> finding.status().needsWork());
    }
}

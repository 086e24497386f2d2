package org.letterbox.mailauth.dmarc;

/**
 * What DMARC says of a message.
 *
 * @param status pass, fail, none (no record), temperror, permerror
 * @param fromDomain the RFC5322.From domain judged
 * @param disposition what to do with it: none, quarantine or reject (already sampled by {@code pct})
 * @param policy the policy that applied, for the Authentication-Results comment
 */
public record DmarcResult(Status status, String fromDomain, DmarcRecord.Policy disposition, DmarcRecord.Policy policy) {

    public enum Status {
        PASS, FAIL, NONE, TEMPERROR, PERMERROR;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}

package org.letterbox.mailauth.dmarc;

import java.util.Locale;
import java.util.Optional;

import org.letterbox.mailauth.dkim.TagList;

/**
 * A DMARC policy record (RFC 7489 §6.3).
 *
 * @param policy {@code p=}
 * @param subdomainPolicy {@code sp=}, or {@code p=} when absent
 * @param percent {@code pct=} (0 to 100; 100 when absent)
 * @param strictDkim {@code adkim=s}
 * @param strictSpf {@code aspf=s}
 */
public record DmarcRecord(Policy policy, Policy subdomainPolicy, int percent, boolean strictDkim, boolean strictSpf) {

    public enum Policy {
        NONE, QUARANTINE, REJECT;

        static Optional<Policy> parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "none" -> Optional.of(NONE);
                case "quarantine" -> Optional.of(QUARANTINE);
                case "reject" -> Optional.of(REJECT);
                default -> Optional.empty();
            };
        }

        /** The next milder policy, applied to the messages {@code pct} leaves out (RFC 7489 §6.6.4). */
        Policy milder() {
            return this == REJECT ? QUARANTINE : NONE;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Parses a TXT record; empty when it is not a DMARC1 record with a valid {@code p=}. */
    public static Optional<DmarcRecord> parse(String text) {
        if (!text.strip().startsWith("v=DMARC1")) {
            return Optional.empty();
        }
        Optional<TagList> tags = TagList.parse(text);
        if (tags.isEmpty() || !tags.get().get("v").orElse("").equals("DMARC1")) {
            return Optional.empty();
        }
        Optional<Policy> policy = tags.get().get("p").flatMap(Policy::parse);
        if (policy.isEmpty()) {
            return Optional.empty();
        }
        Policy subdomain = tags.get().get("sp").flatMap(Policy::parse).orElse(policy.get());
        int percent = 100;
        try {
            percent = Math.max(0, Math.min(100, Integer.parseInt(tags.get().get("pct").orElse("100"))));
        } catch (NumberFormatException e) {
            percent = 100;
        }
        return Optional.of(new DmarcRecord(policy.get(), subdomain, percent,
            tags.get().get("adkim").orElse("r").equalsIgnoreCase("s"), tags.get().get("aspf").orElse("r").equalsIgnoreCase("s")));
    }
}

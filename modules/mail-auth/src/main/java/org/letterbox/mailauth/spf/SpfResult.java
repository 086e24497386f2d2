package org.letterbox.mailauth.spf;

import java.util.Locale;

/**
 * The result of an SPF check (RFC 7208 §2.6).
 *
 * @param domain the domain checked: the MAIL FROM domain, or the HELO name for the null sender
 * @param identity which identity that was: {@code mailfrom} or {@code helo}
 * @param explanation a few words on why, for the Authentication-Results comment
 */
public record SpfResult(Status status, String domain, String identity, String explanation) {

    public enum Status {
        PASS, FAIL, SOFTFAIL, NEUTRAL, NONE, TEMPERROR, PERMERROR;

        public static Status parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "pass" -> PASS;
                case "fail" -> FAIL;
                case "softfail" -> SOFTFAIL;
                case "neutral" -> NEUTRAL;
                case "none" -> NONE;
                case "temperror" -> TEMPERROR;
                default -> PERMERROR;
            };
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}

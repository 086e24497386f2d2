package org.letterbox.mailauth.dkim;

import java.util.Optional;

/**
 * The result of one DKIM signature (RFC 8601 §2.7.1 words).
 *
 * @param domain the {@code d=} of the signature (empty for {@code none})
 * @param headerB the first characters of {@code b=}, which tell two signatures of one domain apart
 * @param reason why it did not pass, for the Authentication-Results comment
 */
public record DkimResult(Status status, String domain, String selector, Optional<DkimAlgorithm> algorithm,
                         String headerB, String reason) {

    public enum Status {
        PASS, FAIL, NEUTRAL, TEMPERROR, PERMERROR;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean passed() {
        return status == Status.PASS;
    }
}

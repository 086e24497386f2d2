package org.letterbox.delivery.dsn;

import java.time.Instant;
import java.util.Optional;

/**
 * One recipient's part of a report (a per-recipient group of RFC 3464 §2.3).
 *
 * @param address the Final-Recipient
 * @param originalRecipient the ORCPT given on submission ({@code rfc822;...})
 * @param action failed, delayed or relayed
 * @param status the enhanced status code (RFC 3463), such as {@code 5.1.1}
 * @param remoteMta the host that answered, when one did
 * @param diagnostic its reply (or our own reason), as {@code smtp; 550 5.1.1 ...}
 * @param lastAttempt when the last attempt ended
 * @param willRetryUntil for a delay: when we give up
 */
public record ReportedRecipient(String address, Optional<String> originalRecipient, Action action, String status,
                                Optional<String> remoteMta, Optional<String> diagnostic, Optional<Instant> lastAttempt,
                                Optional<Instant> willRetryUntil) {

    public enum Action {
        FAILED, DELAYED, RELAYED;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}

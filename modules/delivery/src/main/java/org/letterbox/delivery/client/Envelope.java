package org.letterbox.delivery.client;

import java.util.List;
import java.util.Optional;

/**
 * The envelope of one SMTP transaction: the sender, the recipients (all of one destination) and the DSN parameters
 * (RFC 3461) the submitting client gave, sent on when the peer offers DSN.
 *
 * @param sender the reverse path; empty for the null sender ({@code MAIL FROM:<>}, a bounce)
 * @param envelopeId the ENVID parameter, already in xtext form
 * @param returnContent the RET parameter: {@code FULL} or {@code HDRS}
 */
public record Envelope(String sender, List<Recipient> recipients, Optional<String> envelopeId,
                       Optional<String> returnContent) {

    public Envelope {
        recipients = List.copyOf(recipients);
    }

    /**
     * One recipient.
     *
     * @param notifyOn the NOTIFY parameter ({@code NEVER}, or some of {@code SUCCESS,FAILURE,DELAY}); empty when none
     *               was given
     * @param originalRecipient the ORCPT parameter ({@code rfc822;...} in xtext form)
     */
    public record Recipient(String address, Optional<String> notifyOn, Optional<String> originalRecipient) {
        public static Recipient of(String address) {
            return new Recipient(address, Optional.empty(), Optional.empty());
        }
    }

    /** True when an address of the envelope is not ASCII, so that the peer must offer SMTPUTF8 (RFC 6531). */
    public boolean needsSmtpUtf8() {
        return !ascii(sender) || recipients.stream().anyMatch(r -> !ascii(r.address()));
    }

    static boolean ascii(String text) {
        return text.chars().allMatch(c -> c < 0x80);
    }
}

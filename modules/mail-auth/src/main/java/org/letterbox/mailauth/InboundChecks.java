package org.letterbox.mailauth;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

import org.letterbox.mailauth.dmarc.DmarcRecord;
import org.letterbox.mailauth.dmarc.DmarcResult;

/**
 * What to do with a message from outside, from its authentication: deliver it, send it to Junk (DMARC quarantine),
 * or refuse it (DMARC reject, or a claim to one of our own domains that does not hold up).
 */
public final class InboundChecks {

    public enum Action {
        DELIVER, QUARANTINE, REJECT
    }

    /** The verdict and what follows from it; {@code reason} is for the refusal. */
    public record Decision(MailAuthentication.Verdict verdict, Action action, String reason) {
    }

    /** Our own domains are judged as if they published {@code p=reject}. */
    static final DmarcRecord IMPLIED_FOR_OWN_DOMAINS =
        new DmarcRecord(DmarcRecord.Policy.REJECT, DmarcRecord.Policy.REJECT, 100, false, false);

    private final MailAuthentication authentication;

    public InboundChecks(MailAuthentication authentication) {
        this.authentication = authentication;
    }

    public MailAuthentication authentication() {
        return authentication;
    }

    /**
     * @param ours whether a domain is one of ours
     */
    public Decision judge(InetAddress client, String mailFrom, String helo, MailAuthentication.MessageSource message,
                          Predicate<String> ours) throws IOException {
        MailAuthentication.Verdict verdict = authentication.check(client, mailFrom, helo, message,
            domain -> ours.test(domain) ? Optional.of(IMPLIED_FOR_OWN_DOMAINS) : Optional.empty());
        Optional<String> fromDomain = verdict.fromDomain();
        DmarcResult dmarc = verdict.dmarc();
        if (verdict.reject()) {
            boolean own = fromDomain.map(ours::test).orElse(false);
            return new Decision(verdict, Action.REJECT, own
                ? "The From: domain " + dmarc.fromDomain() + " is ours, and this message does not prove it comes from us"
                : "Message refused by the DMARC policy of " + dmarc.fromDomain());
        }
        String senderDomain = mailFrom.contains("@") ? mailFrom.substring(mailFrom.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT) : "";
        if (!senderDomain.isEmpty() && ours.test(senderDomain) && !fromDomain.map(senderDomain::equals).orElse(false)) {
            // the envelope claims us while From names someone else: the claim must hold by itself
            DmarcResult envelope = authentication.judgeDomain(senderDomain, verdict, Optional.of(IMPLIED_FOR_OWN_DOMAINS));
            if (envelope.status() == DmarcResult.Status.FAIL) {
                return new Decision(verdict, Action.REJECT,
                    "The sender domain " + senderDomain + " is ours, and this message does not prove it comes from us");
            }
        }
        if (verdict.quarantine()) {
            return new Decision(verdict, Action.QUARANTINE, "");
        }
        return new Decision(verdict, Action.DELIVER, "");
    }
}

package org.letterbox.smtp;

import java.util.Locale;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MessageHook;
import org.letterbox.mailauth.AuthenticationResults;
import org.letterbox.mailauth.InboundChecks;
import org.letterbox.mailauth.MailAuthentication;
import org.letterbox.mailauth.dkim.HeaderBlock;
import org.letterbox.net.TrustedNetworks;
import org.letterbox.store.MailStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End of DATA on the MX: SPF, DKIM and DMARC of a message from outside (every connection that has not logged in,
 * loopback included, unless its network is exempted). One Authentication-Results header with our authserv-id is
 * added, and any that claims our authserv-id is taken out. A DMARC {@code reject} refuses the message with
 * {@code 550 5.7.1}; {@code quarantine} sends it to the recipients' Junk folder; mail that claims one of our own
 * domains and fails DMARC (judged as {@code p=reject} when we publish no record) is refused.
 */
final class InboundAuthHook implements MessageHook {

    private static final Logger LOGGER = LoggerFactory.getLogger("org.letterbox.smtp.transactions");

    private final InboundChecks checks;
    private final MailStore store;
    private final TrustedNetworks exempt;

    InboundAuthHook(InboundChecks checks, MailStore store, TrustedNetworks exempt) {
        this.checks = checks;
        this.store = store;
        this.exempt = exempt;
    }

    @Override
    public HookResult onMessage(SMTPSession session, MailEnvelope envelope) {
        if (session.getUsername() != null) {
            return HookResult.DECLINED;
        }
        MessageEdits edits = MessageEdits.of(session);
        String authservId = checks.authentication().authservId();
        edits.drop(raw -> raw.regionMatches(true, 0, "Authentication-Results:", 0, 23)
            && AuthenticationResults.claims(new HeaderBlock.Field("Authentication-Results", raw), authservId));
        if (exempt.contains(session.getRemoteAddress().getAddress())) {
            return HookResult.DECLINED;
        }
        SpoolingEnvelope spooled = (SpoolingEnvelope) envelope;
        String mailFrom = envelope.getMaybeSender().asOptional().map(Utf8Addresses::text).orElse("");
        String helo = session.getAttachment(SMTPSession.CURRENT_HELO_NAME, ProtocolSession.State.Connection).orElse("");
        try {
            InboundChecks.Decision decision = checks.judge(session.getRemoteAddress().getAddress(), mailFrom, helo,
                spooled::open, domain -> store.accounts().isLocalDomain(domain));
            MailAuthentication.Verdict verdict = decision.verdict();
            LOGGER.info("smtp auth ip={} from=<{}> header.from={} spf={} dkim={} arc={} dmarc={} action={}",
                session.getRemoteAddress().getAddress().getHostAddress(),
                org.letterbox.net.login.LogValue.escape(mailFrom),
                org.letterbox.net.login.LogValue.escape(verdict.fromDomain().orElse("-")), verdict.spf().status(),
                verdict.dkim().stream().map(result -> result.status().toString()).toList(), verdict.arc().status(),
                verdict.dmarc().status(),
                decision.action().toString().toLowerCase(Locale.ROOT));
            switch (decision.action()) {
                case REJECT -> {
                    return SmtpReplies.reply(HookReturnCode.deny(), SmtpReplies.MAILBOX_UNAVAILABLE, "5.7.1 " + decision.reason());
                }
                case QUARANTINE -> edits.folder("Junk");
                case DELIVER -> {
                }
            }
            edits.add(verdict.header());
            return HookResult.DECLINED;
        } catch (Exception e) {
            LOGGER.warn("smtp auth checks failed: {}", org.letterbox.net.login.LogValue.escape(e.toString()));
            return SmtpReplies.reply(HookReturnCode.denySoft(), SmtpReplies.LOCAL_ERROR,
                "4.7.0 The message could not be checked, try again later");
        }
    }
}

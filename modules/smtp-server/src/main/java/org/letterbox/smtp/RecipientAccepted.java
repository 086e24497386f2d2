package org.letterbox.smtp;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;

/**
 * RCPT, last in the chain: a recipient every check let through is accepted, but only one whose routes were
 * decided. A chain missing its routing hook refuses mail rather than accepting it for nobody (or relaying it).
 */
final class RecipientAccepted implements RcptHook {

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        if (RecipientRoutes.of(session, Utf8Addresses.text(rcpt)).isEmpty()) {
            return SmtpReplies.reply(HookReturnCode.denySoft(), SmtpReplies.LOCAL_ERROR, "4.3.0 No route decided, try again later");
        }
        return HookResult.OK;
    }
}

package org.letterbox.smtp;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;

/** RCPT, first in the chain: at most {@code smtp.maxRecipients} per transaction (452 4.5.3). */
final class RecipientLimit implements RcptHook {

    private final int maxRecipients;

    RecipientLimit(int maxRecipients) {
        this.maxRecipients = maxRecipients;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        if (session.getRcptCount() >= maxRecipients) {
            return SmtpReplies.reply(HookReturnCode.denySoft(), SmtpReplies.TOO_MANY_RECIPIENTS, "4.5.3 Too many recipients");
        }
        return HookResult.DECLINED;
    }
}

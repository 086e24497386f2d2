package org.letterbox.smtp;

import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.RcptCmdHandler;

/**
 * James's RCPT handler, taught UTF-8 recipient addresses: allowed only in a transaction whose MAIL carried
 * SMTPUTF8 (RFC 6531 §3.5), else {@code 553 5.6.7}.
 */
final class Utf8RcptCmdHandler extends RcptCmdHandler {

    private static final Response BAD_RECIPIENT = new SMTPResponse(SmtpReplies.MAILBOX_NAME_NOT_ALLOWED, "5.1.3 Syntax error in recipient address").immutable();

    Utf8RcptCmdHandler(MetricFactory metrics) {
        super(metrics);
    }

    @Override
    protected Response doFilterChecks(SMTPSession session, String command, String parameters) {
        Utf8Addresses.Rewrite rewrite = Utf8Addresses.rewrite(parameters);
        if (rewrite.malformed()) {
            return BAD_RECIPIENT;
        }
        if (rewrite.utf8() && !session.getAttachment(Utf8Addresses.REQUESTED, ProtocolSession.State.Transaction).orElse(false)) {
            return Utf8MailCmdHandler.UTF8_NOT_REQUESTED;
        }
        return super.doFilterChecks(session, command, rewrite.argument());
    }
}

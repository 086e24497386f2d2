package org.letterbox.smtp;

import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.MailCmdHandler;

/**
 * James's MAIL handler, taught UTF-8 sender addresses (RFC 6531 §3.4): allowed with the SMTPUTF8 parameter, else
 * {@code 553 5.6.7}. The address reaches James in the form {@link Utf8Addresses} describes.
 */
final class Utf8MailCmdHandler extends MailCmdHandler {

    static final Response UTF8_NOT_REQUESTED =
        new SMTPResponse(SmtpReplies.MAILBOX_NAME_NOT_ALLOWED, "5.6.7 Non-ASCII address requires the SMTPUTF8 parameter on MAIL").immutable();
    static final Response BAD_SENDER = new SMTPResponse(SmtpReplies.MAILBOX_NAME_NOT_ALLOWED, "5.1.7 Syntax error in sender address").immutable();

    Utf8MailCmdHandler(MetricFactory metrics) {
        super(metrics);
    }

    @Override
    protected Response doFilterChecks(SMTPSession session, String command, String parameters) {
        Utf8Addresses.Rewrite rewrite = Utf8Addresses.rewrite(parameters);
        if (rewrite.malformed()) {
            return BAD_SENDER;
        }
        if (rewrite.utf8() && !Utf8Addresses.hasSmtpUtf8Parameter(parameters)) {
            return UTF8_NOT_REQUESTED;
        }
        return super.doFilterChecks(session, command, rewrite.argument());
    }
}

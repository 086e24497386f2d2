package org.letterbox.smtp;

import java.util.List;
import java.util.Locale;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.esmtp.EhloExtension;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailParametersHook;

/**
 * Our EHLO additions: SIZE with the configured limit (checked against {@code MAIL FROM ... SIZE=}, 552 5.3.4), and
 * SMTPUTF8 (RFC 6531), whose MAIL parameter opens the transaction to UTF-8 addresses (see {@link Utf8Addresses});
 * UTF-8 headers are stored as sent.
 */
final class EsmtpExtensions implements EhloExtension, MailParametersHook {

    private final long maxMessageSize;

    EsmtpExtensions(long maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public List<String> getImplementedEsmtpFeatures(SMTPSession session) {
        return List.of("SIZE " + maxMessageSize, "SMTPUTF8");
    }

    @Override
    public HookResult doMailParameter(SMTPSession session, String name, String value) {
        if ("SMTPUTF8".equals(name.toUpperCase(Locale.US))) {
            session.setAttachment(Utf8Addresses.REQUESTED, Boolean.TRUE, ProtocolSession.State.Transaction);
        }
        if ("SIZE".equals(name.toUpperCase(Locale.US))) {
            long declared;
            try {
                declared = Long.parseLong(value);
            } catch (NumberFormatException e) {
                return SmtpReplies.reply(HookReturnCode.deny(), SmtpReplies.PARAMETER_SYNTAX_ERROR, "5.5.4 Bad SIZE parameter");
            }
            if (declared > maxMessageSize) {
                return SmtpReplies.reply(HookReturnCode.deny(), SmtpReplies.EXCEEDED_STORAGE, "5.3.4 Message size exceeds fixed maximum message size");
            }
            if (declared >= 0) {
                session.setAttachment(RecipientRoutes.SIZE_DECLARED, declared, ProtocolSession.State.Transaction);
            }
        }
        return HookResult.DECLINED;
    }

    @Override
    public String[] getMailParamNames() {
        return new String[] {"SIZE", "SMTPUTF8"};
    }
}

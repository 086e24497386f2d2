package org.letterbox.smtp;

import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.letterbox.store.MailStore;
import org.letterbox.store.account.Accounts;

/**
 * MAIL: on submission listeners AUTH comes first (530 5.7.0). An authenticated user may only use an envelope
 * sender they own: their address or an alias that resolves to them (553 5.7.1); the null sender is refused on
 * submission. The header {@code From:} is checked the same way at the end of DATA ({@link SubmissionFromPolicy}).
 */
final class SenderPolicy implements MailHook {

    private final Accounts accounts;
    private final MailStore store;
    private final boolean submission;

    SenderPolicy(Accounts accounts, MailStore store, boolean submission) {
        this.accounts = accounts;
        this.store = store;
        this.submission = submission;
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        if (session.getUsername() == null) {
            return submission
                ? SmtpReplies.reply(HookReturnCode.deny(), SmtpReplies.AUTHENTICATION_REQUIRED, "5.7.0 Authentication required")
                : HookResult.DECLINED;
        }
        if (sender.isNullSender()) {
            // bounces come from servers, not from a user's client
            return submission
                ? SmtpReplies.reply(HookReturnCode.deny(), SmtpReplies.MAILBOX_NAME_NOT_ALLOWED, "5.7.1 The null sender is not allowed on submission")
                : HookResult.DECLINED;
        }
        String user = session.getUsername().asString();
        String address = sender.asOptional().map(Utf8Addresses::text).orElse("");
        try {
            if (store.call(() -> accounts.ownsAddress(user, address))) {
                return HookResult.DECLINED;
            }
        } catch (Exception e) {
            return SmtpReplies.reply(HookReturnCode.denySoft(), SmtpReplies.LOCAL_ERROR, "4.3.0 Temporary lookup failure, try again later");
        }
        return SmtpReplies.reply(HookReturnCode.deny(), SmtpReplies.MAILBOX_NAME_NOT_ALLOWED, "5.7.1 <" + address + ">: not an address of " + user);
    }
}

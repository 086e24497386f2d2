package org.letterbox.smtp;

import java.util.Set;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.letterbox.store.MailStore;
import org.letterbox.store.account.Route;

/** RCPT: a local user whose mailbox has no room for the declared size is refused now (552 5.2.2), not bounced later. */
final class RecipientQuota implements RcptHook {

    private final MailStore store;

    RecipientQuota(MailStore store) {
        this.store = store;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        String address = Utf8Addresses.text(rcpt);
        Set<Route> routes = RecipientRoutes.of(session, address).orElse(Set.of());
        if (routes.stream().noneMatch(route -> route instanceof Route.LocalUser)) {
            return HookResult.DECLINED; // no mailbox of ours: no trip to the store
        }
        long declared = RecipientRoutes.declaredSize(session);
        try {
            boolean full = store.call(() -> {
                for (Route route : routes) {
                    if (route instanceof Route.LocalUser user && !store.delivery().fits(user.user(), declared)) {
                        return true;
                    }
                }
                return false;
            });
            if (full) {
                return SmtpReplies.reply(HookReturnCode.deny(), SmtpReplies.EXCEEDED_STORAGE, "5.2.2 <" + address + ">: mailbox full");
            }
        } catch (Exception e) {
            return SmtpReplies.reply(HookReturnCode.denySoft(), SmtpReplies.LOCAL_ERROR, "4.3.0 Temporary lookup failure, try again later");
        }
        return HookResult.DECLINED;
    }
}

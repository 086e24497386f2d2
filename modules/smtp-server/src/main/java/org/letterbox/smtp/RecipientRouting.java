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

/**
 * RCPT: where the recipient's mail goes. An address in one of our domains must reach someone (550 5.1.1, so we
 * never bounce later); any other address needs a session allowed to relay (550 5.7.1). The routes are recorded
 * for the next hooks and for delivery.
 */
final class RecipientRouting implements RcptHook {

    private final MailStore store;

    RecipientRouting(MailStore store) {
        this.store = store;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        String address = Utf8Addresses.text(rcpt);
        boolean local;
        Set<Route> routes;
        try {
            // one trip to the store: null means the address is outside our domains
            Set<Route> found = store.call(() -> store.accounts().isLocalDomain(address.substring(address.lastIndexOf('@') + 1))
                ? store.accounts().route(address) : null);
            local = found != null;
            routes = local ? found : Set.of(new Route.RemoteAddress(address));
        } catch (Exception e) {
            return SmtpReplies.reply(HookReturnCode.denySoft(), SmtpReplies.LOCAL_ERROR, "4.3.0 Temporary lookup failure, try again later");
        }
        if (local && routes.isEmpty()) {
            return SmtpReplies.reply(HookReturnCode.deny(), SmtpReplies.MAILBOX_UNAVAILABLE, "5.1.1 <" + address + ">: no such user here");
        }
        if (!local && !session.isRelayingAllowed()) {
            return SmtpReplies.reply(HookReturnCode.deny(), SmtpReplies.MAILBOX_UNAVAILABLE,
                "5.7.1 <" + address + ">: relaying denied; authenticate first");
        }
        RecipientRoutes.record(session, address, routes);
        return HookResult.DECLINED;
    }
}

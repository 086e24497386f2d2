package org.letterbox.smtp;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.core.MailAddress;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.letterbox.store.MailStore;
import org.letterbox.store.account.Accounts;

/**
 * RCPT: local recipients must exist (550 5.1.1, so we never bounce later); other domains need an authenticated
 * session (550 5.7.1); at most N recipients (452 4.5.3). The resolution of each recipient is kept for delivery.
 */
final class RecipientPolicy implements RcptHook {

    /** Recipient address as given, mapped to the local users and remote addresses it resolves to. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static final ProtocolSession.AttachmentKey<Map<String, Set<Route>>> ROUTES =
        ProtocolSession.AttachmentKey.of("letterbox.routes", (Class<Map<String, Set<Route>>>) (Class) Map.class);

    /** What the store said about one recipient: in one of our domains or not, its routes, and a full mailbox. */
    private record Lookup(boolean local, Set<Route> routes, boolean full) {
    }

    /** The size the client declared with {@code MAIL FROM ... SIZE=}, for the recipients' quota check. */
    static final ProtocolSession.AttachmentKey<Long> SIZE_DECLARED = ProtocolSession.AttachmentKey.of("letterbox.sizeDeclared", Long.class);

    private final Accounts accounts;
    private final MailStore store;
    private final int maxRecipients;

    RecipientPolicy(Accounts accounts, MailStore store, int maxRecipients) {
        this.accounts = accounts;
        this.store = store;
        this.maxRecipients = maxRecipients;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        if (session.getRcptCount() >= maxRecipients) {
            return result(HookReturnCode.denySoft(), "452", "4.5.3 Too many recipients");
        }
        String address = Utf8Addresses.text(rcpt);
        long declared = session.getAttachment(SIZE_DECLARED, ProtocolSession.State.Transaction).orElse(0L);
        Lookup lookup;
        try {
            // one trip to the store for the whole decision
            lookup = store.call(() -> lookUp(address, declared));
        } catch (Exception e) {
            return result(HookReturnCode.denySoft(), "451", "4.3.0 Temporary lookup failure, try again later");
        }
        if (lookup.local() && lookup.routes().isEmpty()) {
            return result(HookReturnCode.deny(), "550", "5.1.1 <" + address + ">: no such user here");
        }
        if (!lookup.local() && !session.isRelayingAllowed()) {
            return result(HookReturnCode.deny(), "550", "5.7.1 <" + address + ">: relaying denied; authenticate first");
        }
        if (lookup.full()) {
            return result(HookReturnCode.deny(), "552", "5.2.2 <" + address + ">: mailbox full");
        }
        Map<String, Set<Route>> routes = session.getAttachment(ROUTES, ProtocolSession.State.Transaction).orElseGet(LinkedHashMap::new);
        routes.put(address, lookup.routes());
        session.setAttachment(ROUTES, routes, ProtocolSession.State.Transaction);
        return result(HookReturnCode.ok(), "250", "2.1.5 Recipient <" + address + "> OK");
    }

    private Lookup lookUp(String address, long declaredSize) throws java.io.IOException {
        if (!accounts.isLocalDomain(address.substring(address.lastIndexOf('@') + 1))) {
            return new Lookup(false, Set.of(new Route.RemoteAddress(address)), false);
        }
        Set<Route> routes = new LinkedHashSet<>();
        for (String target : accounts.resolve(address)) {
            if (accounts.userExists(target)) {
                if (!store.delivery().fits(target, declaredSize)) {
                    return new Lookup(true, Set.of(new Route.LocalUser(target)), true);
                }
                routes.add(new Route.LocalUser(target));
            } else {
                routes.add(new Route.RemoteAddress(target));
            }
        }
        return new Lookup(true, Set.copyOf(routes), false);
    }

    static HookResult result(HookReturnCode code, String smtpCode, String description) {
        return HookResult.builder().hookReturnCode(code).smtpReturnCode(smtpCode).smtpDescription(description).build();
    }
}

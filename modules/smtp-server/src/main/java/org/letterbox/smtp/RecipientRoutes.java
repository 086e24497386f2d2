package org.letterbox.smtp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.letterbox.store.account.Route;

/**
 * What the RCPT hooks decided, kept in the transaction for the end of DATA: each accepted recipient as given,
 * with the routes it resolves to; and the size the client declared in MAIL FROM, for the quota check.
 */
final class RecipientRoutes {

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final ProtocolSession.AttachmentKey<Map<String, Set<Route>>> ROUTES =
        ProtocolSession.AttachmentKey.of("letterbox.routes", (Class<Map<String, Set<Route>>>) (Class) Map.class);

    /** The size the client declared with {@code MAIL FROM ... SIZE=}. */
    static final ProtocolSession.AttachmentKey<Long> SIZE_DECLARED = ProtocolSession.AttachmentKey.of("letterbox.sizeDeclared", Long.class);

    private RecipientRoutes() {
    }

    static void record(SMTPSession session, String address, Set<Route> routes) {
        Map<String, Set<Route>> all = session.getAttachment(ROUTES, ProtocolSession.State.Transaction).orElseGet(LinkedHashMap::new);
        all.put(address, Set.copyOf(routes));
        session.setAttachment(ROUTES, all, ProtocolSession.State.Transaction);
    }

    /** The routes recorded for {@code address} in this transaction, if a routing hook decided them. */
    static Optional<Set<Route>> of(SMTPSession session, String address) {
        return session.getAttachment(ROUTES, ProtocolSession.State.Transaction).map(all -> all.get(address));
    }

    static long declaredSize(SMTPSession session) {
        return session.getAttachment(SIZE_DECLARED, ProtocolSession.State.Transaction).orElse(0L);
    }
}

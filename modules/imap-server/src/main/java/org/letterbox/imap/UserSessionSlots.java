package org.letterbox.imap;

import java.util.Optional;

import org.apache.james.imap.api.process.ImapSession;
import org.letterbox.store.session.SessionLeases;

/**
 * The cap on simultaneous sessions per user ({@code imap.maxConnectionsPerUser}), counted by the store's session
 * leases (so across every node of a shared store): a lease is taken at login and given back at LOGOUT or when the
 * connection closes, also when it closes while the login is still running.
 */
final class UserSessionSlots {

    private static final String LEASE = "letterbox.sessionLease";
    private static final String CLOSED = "letterbox.closed";

    private final SessionLeases leases;
    private final int maxSessionsPerUser;

    UserSessionSlots(SessionLeases leases, int maxSessionsPerUser) {
        this.leases = leases;
        this.maxSessionsPerUser = maxSessionsPerUser;
    }

    /** Takes one of {@code user}'s slots for {@code session}, or says no when they are all in use. */
    boolean take(ImapSession session, String user) {
        Optional<SessionLeases.Lease> lease = leases.take(SessionLeases.Kind.IMAP_SESSION, user, maxSessionsPerUser);
        if (lease.isEmpty()) {
            return false;
        }
        synchronized (session) {
            session.setAttribute(LEASE, lease.get());
            if (session.getAttribute(CLOSED) != null) {
                release(session); // the connection closed while the login ran
            }
        }
        return true;
    }

    /** Frees the session's slot; called on LOGOUT and when the connection closes. */
    void release(ImapSession session) {
        synchronized (session) {
            if (session.getAttribute(LEASE) instanceof SessionLeases.Lease lease) {
                session.setAttribute(LEASE, null);
                lease.close();
            }
        }
    }

    /** The connection is gone: frees the slot now, or as soon as a login still in flight succeeds. */
    void connectionClosed(ImapSession session) {
        synchronized (session) {
            session.setAttribute(CLOSED, Boolean.TRUE);
            release(session);
        }
    }
}

package org.letterbox.imap;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.imap.api.process.ImapSession;

/**
 * The cap on simultaneous sessions per user ({@code imap.maxConnectionsPerUser}): a slot is taken at login and
 * given back at LOGOUT or when the connection closes, also when it closes while the login is still running.
 */
final class UserSessionSlots {

    private static final String COUNTED_USER = "letterbox.countedUser";
    private static final String CLOSED = "letterbox.closed";

    private final int maxSessionsPerUser;
    private final ConcurrentHashMap<String, AtomicInteger> sessionsPerUser = new ConcurrentHashMap<>();

    UserSessionSlots(int maxSessionsPerUser) {
        this.maxSessionsPerUser = maxSessionsPerUser;
    }

    /** Takes one of {@code user}'s slots for {@code session}, or says no when they are all in use. */
    boolean take(ImapSession session, String user) {
        AtomicInteger count = sessionsPerUser.computeIfAbsent(user, key -> new AtomicInteger());
        if (count.incrementAndGet() > maxSessionsPerUser) {
            count.decrementAndGet();
            return false;
        }
        synchronized (session) {
            session.setAttribute(COUNTED_USER, user);
            if (session.getAttribute(CLOSED) != null) {
                release(session); // the connection closed while the login ran
            }
        }
        return true;
    }

    /** Frees the session's slot; called on LOGOUT and when the connection closes. */
    void release(ImapSession session) {
        synchronized (session) {
            Object user = session.getAttribute(COUNTED_USER);
            if (user != null) {
                session.setAttribute(COUNTED_USER, null);
                AtomicInteger count = sessionsPerUser.get((String) user);
                if (count != null) {
                    count.decrementAndGet();
                }
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

package org.letterbox.store.session;

import java.util.Optional;

/**
 * Counted sessions per user and kind. A lease is taken when a session starts (at login) and given back when it ends;
 * on a shared store the count covers every live node, and the leases of a node that died stop counting when it is
 * taken for dead.
 */
public interface SessionLeases {

    /** What a lease is for; each kind is counted apart. */
    enum Kind {
        /** An IMAP session logged in ({@code imap.maxConnectionsPerUser}). */
        IMAP_SESSION,
        /** A POP3 session holding the user's maildrop (RFC 1939: one at a time, else {@code [IN-USE]}). */
        POP3_MAILDROP
    }

    /** One counted session; closing it gives the slot back (more than once is harmless). */
    interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * A lease on one of {@code user}'s sessions of {@code kind}, or empty when {@code limit} of them are held already.
     * May wait for the database on a shared store: call it where blocking is allowed.
     */
    Optional<Lease> take(Kind kind, String user, int limit);
}

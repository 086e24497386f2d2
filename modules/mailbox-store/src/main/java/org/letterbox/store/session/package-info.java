/**
 * Leases on users' sessions, for the limits that count sessions per user (IMAP's per-user connection cap, POP3's one
 * session per maildrop): kept in memory on a node of its own, and in the shared database, across nodes, when
 * several nodes serve one PostgreSQL store.
 */
package org.letterbox.store.session;

package org.letterbox.store;

/** How much the store holds: rows per kind, and the entries waiting in the outbound queue. */
public record StoreStatistics(long domains, long users, long mailboxes, long messages, long queued) {
}

package org.letterbox.server.admin;

import java.util.List;

/**
 * Where {@code letterbox} (the CLI) sends its {@link AdminRequest}s: {@link LocalAdmin} does them on an open store,
 * {@link RemoteAdmin} asks a running server through its {@link AdminEndpoint}. Failures are {@link AdminException}s
 * whose message is one line for the user.
 */
public interface Admin extends AutoCloseable {

    /** Does {@code request} and returns its result; failures are {@link AdminException}s with a one-line message. */
    <R> R send(AdminRequest<R> request);

    @Override
    void close();

    /** A user's usage and limits; a null limit means none. */
    record Quota(String address, long usedBytes, long usedMessages, Long maxBytes, Long maxMessages) {
    }

    record AliasEntry(String source, String target) {
    }

    record MailboxInfo(String name, long messages, long unseen) {
    }

    /**
     * One queued recipient.
     *
     * @param nextAttempt when it is tried next (ISO-8601)
     * @param lastError the last attempt's reply or reason; null before the first failure
     * @param size the message's size in bytes
     * @param held whether it is held by hand
     */
    record QueueEntry(long id, String sender, String recipient, String created, int attempts, String nextAttempt,
                      String lastError, long size, boolean held) {
    }

    /**
     * One queued recipient in full: the entry, its DSN parameters, and the message's header block.
     *
     * @param lastAttempt when the last attempt ended; null before the first
     * @param notifyOn the NOTIFY parameter; null when none was given
     * @param headers the message's header block (at most 64 KB)
     */
    record QueueDetail(QueueEntry entry, String lastAttempt, boolean delayNotified, String notifyOn, String originalRecipient,
                       String envelopeId, String returnContent, String headers) {
    }

    /**
     * @param running whether a server answered (false: the CLI opened the store itself)
     * @param listeners one line per listener: name, address and TLS mode
     * @param storeBytes bytes used by the data directory
     * @param nodes with a shared PostgreSQL store: one line per live node (id, host, since when, last heard of);
     *              empty with Derby
     */
    record Status(boolean running, String dataDirectory, List<String> listeners, long domains, long users,
                  long mailboxes, long messages, long queued, long storeBytes, long uptimeSeconds, List<String> nodes) {
    }

    /**
     * One message in an import or export.
     *
     * @param uid its UID in the exported mailbox (0 on import)
     * @param flags IMAP system flags ({@code \Seen}...) and keywords
     * @param internalDate milliseconds since the epoch
     */
    record TransferMessage(long uid, byte[] content, List<String> flags, long internalDate) {
    }
}

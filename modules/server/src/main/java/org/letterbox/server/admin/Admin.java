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

    record QueueEntry(long id, String sender, String recipient, String created, int attempts, String lastError) {
    }

    /**
     * @param running whether a server answered (false: the CLI opened the store itself)
     * @param listeners one line per listener: name, address and TLS mode
     * @param storeBytes bytes used by the data directory
     */
    record Status(boolean running, String dataDirectory, List<String> listeners, long domains, long users,
                  long mailboxes, long messages, long queued, long storeBytes, long uptimeSeconds) {
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

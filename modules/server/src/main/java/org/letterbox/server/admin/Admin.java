package org.letterbox.server.admin;

import java.util.List;

/**
 * Everything {@code letterbox} (the CLI) can ask of a server: {@link LocalAdmin} does it on an open store,
 * {@link RemoteAdmin} asks a running server through its {@link AdminEndpoint}. Failures are {@link AdminException}s
 * whose message is one line for the user.
 */
public interface Admin extends AutoCloseable {

    void addDomain(String domain);

    List<String> domains();

    void removeDomain(String domain);

    /** Adds a user with the default folders (INBOX, Drafts, Sent, Trash, Junk, Archive). */
    void addUser(String address, String password);

    List<String> users();

    void changePassword(String address, String password);

    /** Lets the user submit with any header From (on), or only their own addresses (off, the default). */
    void setAnyFrom(String address, boolean allowed);

    void removeUser(String address);

    Quota quota(String address);

    /**
     * Sets a user's limits; {@code null} leaves a limit as it is, a negative value removes it (unlimited, or the
     * domain's or global limit when one is set).
     */
    void setQuota(String address, Long maxBytes, Long maxMessages);

    void addAlias(String source, String target);

    List<AliasEntry> aliases();

    void removeAlias(String source, String target);

    List<MailboxInfo> mailboxes(String address);

    List<QueueEntry> queue();

    Status status();

    /** Appends the messages to the user's mailbox (created if missing); returns how many were stored. */
    int importMessages(String address, String mailbox, List<TransferMessage> messages);

    /** Up to {@code limit} messages of a mailbox with UIDs above {@code afterUid}, in UID order. */
    List<TransferMessage> exportMessages(String address, String mailbox, long afterUid, int limit);

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

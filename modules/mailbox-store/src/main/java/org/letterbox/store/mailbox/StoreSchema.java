package org.letterbox.store.mailbox;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Date;

import javax.mail.Flags;

import org.apache.james.mailbox.store.mail.model.impl.Properties;

/**
 * The row-level operations that store services outside James's mappers (delivery, import) share with them, so
 * that every path writes messages the same way. Each method runs inside the caller's write unit.
 */
public final class StoreSchema {

    /** A freshly allocated UID and mod-sequence. */
    public record Counters(long uid, long modSeq) {
    }

    private StoreSchema() {
    }

    /**
     * Stores a message's bytes once, in the way {@code spool}'s database keeps them (see {@link org.letterbox.store.jdbc.ContentSpool#inlineLimit()}),
     * under {@code messageId}, an id made for this message that no content has yet.
     */
    public static void insertContent(Connection c, String messageId, long size, int bodyStart, Properties properties,
                                     InputStream content, org.letterbox.store.jdbc.ContentSpool spool) throws SQLException {
        MessageContentStore.insert(c, messageId, size, bodyStart, properties, content, spool.inlineLimit());
    }

    /**
     * Removes message bytes that nothing refers to. Every path that deletes rows already removes their content in
     * the same transaction; this sweep, run at start-up, is the safety net that keeps "nothing orphaned for ever"
     * true even for a store written by an older version.
     */
    public static int sweepUnreferencedContent(Connection c) throws SQLException {
        return MessageContentStore.deleteAllUnreferenced(c);
    }

    /**
     * Stores the bytes of a message whose {@code message_content} row was written without them (its size above the
     * database's inline limit), in chunks, reading {@code content} once.
     */
    public static void insertContentChunks(Connection c, String messageId, InputStream content) throws SQLException {
        MessageContentStore.insertChunks(c, messageId, content);
    }

    /** Removes the bytes of those messages that no mailbox row and no queue entry refers to any more. */
    public static void deleteUnreferencedContent(Connection c, java.util.Collection<String> messageIds) throws SQLException {
        MessageContentStore.deleteUnreferenced(c, messageIds);
    }

    /** The bytes of a stored message: in memory when small, else spooled to a file. */
    public static InputStream openContent(Connection c, String messageId, org.letterbox.store.jdbc.ContentSpool spool) throws SQLException {
        return MessageContentStore.open(c, messageId, spool);
    }

    public static Counters nextCounters(Connection c, long mailboxId) throws SQLException {
        MailboxRowCounters.Next next = MailboxRowCounters.next(c, mailboxId, true);
        return new Counters(next.uid().asLong(), next.modSeq().asLong());
    }

    /** Inserts one mailbox row for already stored content, and remembers its keywords. */
    public static void insertMessageRow(Connection c, long mailboxId, long uid, long modSeq, String messageId,
                                        String threadId, Date internalDate, long size, Flags flags) throws SQLException {
        insertMessageRow(c, mailboxId, uid, modSeq, messageId, threadId, internalDate, new Date(), size, flags);
    }

    static void insertMessageRow(Connection c, long mailboxId, long uid, long modSeq, String messageId, String threadId,
                                 Date internalDate, Date saveDate, long size, Flags flags) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO messages (mailbox_id, uid, message_id,"
                + " thread_id, modseq, internal_date, save_date, size, answered, deleted, draft, flagged, recent, seen,"
                + " user_flags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, mailboxId);
            insert.setLong(2, uid);
            insert.setString(3, messageId);
            insert.setString(4, threadId);
            insert.setLong(5, modSeq);
            insert.setTimestamp(6, new Timestamp(internalDate.getTime()));
            insert.setTimestamp(7, new Timestamp(saveDate.getTime()));
            insert.setLong(8, size);
            MessageRowReader.FlagColumns.bind(insert, 9, flags);
            insert.executeUpdate();
        }
        JdbcMessageMapper.rememberKeywords(c, mailboxId, flags);
    }
}

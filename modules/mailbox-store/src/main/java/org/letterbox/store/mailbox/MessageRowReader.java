package org.letterbox.store.mailbox;

import java.io.InputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Date;

import javax.mail.Flags;

import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.model.ByteContent;
import org.apache.james.mailbox.model.Content;
import org.apache.james.mailbox.model.ThreadId;
import org.apache.james.mailbox.store.mail.MessageMapper.FetchType;
import org.apache.james.mailbox.store.mail.model.impl.Properties;
import org.apache.james.mailbox.store.mail.model.impl.SimpleMailboxMessage;
import org.letterbox.store.jdbc.ContentSpool;
import org.letterbox.store.jdbc.Database;

/** Turns rows of {@code messages} joined with {@code message_content} into James's message objects. */
final class MessageRowReader {

    static final String METADATA_COLUMNS = "m.mailbox_id, m.uid, m.message_id, m.thread_id, m.modseq, m.internal_date,"
        + " m.save_date, m.size, m.answered, m.deleted, m.draft, m.flagged, m.recent, m.seen, m.user_flags,"
        + " c.body_start, c.text_lines";

    private final Database db;

    MessageRowReader(Database db) {
        this.db = db;
    }

    /** Columns to select for a fetch type; the content BLOB only when the caller will read the bytes. */
    static String columns(FetchType type) {
        return switch (type) {
            case METADATA -> METADATA_COLUMNS;
            case ATTACHMENTS_METADATA -> METADATA_COLUMNS + ", c.properties";
            // the bytes of a large message are not read with the row: LazyContent streams them when asked
            case HEADERS, FULL -> METADATA_COLUMNS + ", c.properties, CASE WHEN c.size <= " + ContentSpool.IN_MEMORY_LIMIT
                + " THEN c.content END";
        };
    }

    static String from() {
        return " FROM messages m JOIN message_content c ON c.message_id = m.message_id";
    }

    SimpleMailboxMessage read(ResultSet rs, FetchType type) throws SQLException {
        StoreMessageId messageId = new StoreMessageId(rs.getString(3));
        long size = rs.getLong(8);
        long textLines = rs.getLong(17);
        Long textualLineCount = rs.wasNull() ? null : textLines;
        Properties properties;
        Content content;
        if (type == FetchType.METADATA) {
            properties = new Properties(java.util.List.of(), textualLineCount);
            content = new LazyContent(db, messageId.value(), size);
        } else {
            properties = new Properties(MessageContentStore.PropertyCodec.decode(rs.getString(18)), textualLineCount);
            if (type == FetchType.ATTACHMENTS_METADATA) {
                content = new LazyContent(db, messageId.value(), size);
            } else {
                byte[] bytes = rs.getBytes(19);
                if (bytes == null) {
                    content = new LazyContent(db, messageId.value(), size);
                } else {
                    db.countContentRead();
                    content = new ByteContent(bytes);
                }
            }
        }
        Timestamp saveDate = rs.getTimestamp(7);
        SimpleMailboxMessage message = SimpleMailboxMessage.builder()
            .mailboxId(StoreMailboxId.of(rs.getLong(1)))
            .uid(MessageUid.of(rs.getLong(2)))
            .messageId(messageId)
            .threadId(ThreadId.fromBaseMessageId(new StoreMessageId(rs.getString(4))))
            .modseq(ModSeq.of(rs.getLong(5)))
            .internalDate(new Date(rs.getTimestamp(6).getTime()))
            .saveDate(saveDate == null ? null : new Date(saveDate.getTime()))
            .size(size)
            .bodyStartOctet(rs.getInt(16))
            .content(content)
            .flags(FlagColumns.read(rs, 9))
            .properties(properties)
            .build();
        return message;
    }

    /** Sets the parameters of a uid-range predicate {@code uid BETWEEN ? AND ?}. */
    static void bindRange(PreparedStatement statement, int index, org.apache.james.mailbox.model.MessageRange range)
            throws SQLException {
        statement.setLong(index, range.getUidFrom().asLong());
        statement.setLong(index + 1, range.getUidTo().asLong());
    }

    /** Message bytes read from the store only when somebody asks for them. */
    static final class LazyContent implements Content {
        private final Database db;
        private final String messageId;
        private final long size;

        LazyContent(Database db, String messageId, long size) {
            this.db = db;
            this.messageId = messageId;
            this.size = size;
        }

        @Override
        public InputStream getInputStream() {
            db.countContentRead();
            return db.read(c -> MessageContentStore.open(c, messageId, db.spool()));
        }

        @Override
        public long size() {
            return size;
        }
    }

    /** Reads and writes the flag columns: six system flags and the user flags as newline-separated text. */
    static final class FlagColumns {
        private FlagColumns() {
        }

        static Flags read(ResultSet rs, int first) throws SQLException {
            Flags flags = new Flags();
            if (rs.getShort(first) != 0) {
                flags.add(Flags.Flag.ANSWERED);
            }
            if (rs.getShort(first + 1) != 0) {
                flags.add(Flags.Flag.DELETED);
            }
            if (rs.getShort(first + 2) != 0) {
                flags.add(Flags.Flag.DRAFT);
            }
            if (rs.getShort(first + 3) != 0) {
                flags.add(Flags.Flag.FLAGGED);
            }
            if (rs.getShort(first + 4) != 0) {
                flags.add(Flags.Flag.RECENT);
            }
            if (rs.getShort(first + 5) != 0) {
                flags.add(Flags.Flag.SEEN);
            }
            String user = rs.getString(first + 6);
            if (user != null && !user.isEmpty()) {
                for (String flag : user.split("\n")) {
                    flags.add(flag);
                }
            }
            return flags;
        }

        /** Binds answered, deleted, draft, flagged, recent, seen and user_flags from {@code index} on. */
        static void bind(PreparedStatement statement, int index, Flags flags) throws SQLException {
            statement.setShort(index, bit(flags.contains(Flags.Flag.ANSWERED)));
            statement.setShort(index + 1, bit(flags.contains(Flags.Flag.DELETED)));
            statement.setShort(index + 2, bit(flags.contains(Flags.Flag.DRAFT)));
            statement.setShort(index + 3, bit(flags.contains(Flags.Flag.FLAGGED)));
            statement.setShort(index + 4, bit(flags.contains(Flags.Flag.RECENT)));
            statement.setShort(index + 5, bit(flags.contains(Flags.Flag.SEEN)));
            String[] user = flags.getUserFlags();
            if (user.length == 0) {
                statement.setNull(index + 6, java.sql.Types.VARCHAR);
            } else {
                java.util.Arrays.sort(user);
                statement.setString(index + 6, String.join("\n", user));
            }
        }

        private static short bit(boolean set) {
            return (short) (set ? 1 : 0);
        }
    }
}

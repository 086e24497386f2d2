package org.letterbox.store.mailbox;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

import org.apache.james.mailbox.store.mail.model.Property;
import org.apache.james.mailbox.store.mail.model.impl.Properties;
import org.letterbox.store.jdbc.ContentSpool;

/**
 * The one stored copy of each message's bytes, in {@code message_content}, keyed by message id and shared by
 * every mailbox row (and queue entry) that refers to it. Content is written in the same transaction as the first
 * row that refers to it, and removed in the same transaction as the last row that referred to it, so a crash can
 * neither leave half a message visible nor leave content orphaned.
 */
final class MessageContentStore {

    private MessageContentStore() {
    }

    /** Bytes per row of {@code message_chunks}: what one write or read of a large message holds in the heap. */
    static final int CHUNK_SIZE = 512 * 1024;

    /**
     * Content up to this size is bound as bytes, not as a stream: Derby copies a streamed column through a fresh
     * buffer of a whole page (32 KB) for its log, a tenth of everything a server receiving mail allocated.
     */
    static final int SMALL_CONTENT = 32 * 1024;

    /**
     * Inserts content for {@code messageId} unless it is stored already: in its row up to {@code inlineLimit}
     * bytes, else in chunks.
     */
    static void insertIfAbsent(Connection c, String messageId, long size, int bodyStart, Properties properties,
                               InputStream content, long inlineLimit) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM message_content WHERE message_id = ?")) {
            exists.setString(1, messageId);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        insert(c, messageId, size, bodyStart, properties, content, inlineLimit);
    }

    /**
     * Inserts content for {@code messageId}, which no content has yet (an id made for this message): in its row up
     * to {@code inlineLimit} bytes, else in chunks.
     */
    static void insert(Connection c, String messageId, long size, int bodyStart, Properties properties,
                       InputStream content, long inlineLimit) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO message_content"
                + " (message_id, size, body_start, text_lines, media_type, sub_type, properties, content)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, messageId);
            insert.setLong(2, size);
            insert.setInt(3, bodyStart);
            if (properties.getTextualLineCount() == null) {
                insert.setNull(4, java.sql.Types.BIGINT);
            } else {
                insert.setLong(4, properties.getTextualLineCount());
            }
            insert.setString(5, properties.getMediaType());
            insert.setString(6, properties.getSubType());
            insert.setString(7, PropertyCodec.encode(properties.toProperties()));
            boolean inline = size <= inlineLimit;
            if (inline && size <= SMALL_CONTENT) {
                insert.setBytes(8, readExactly(content, (int) size));
            } else if (inline) {
                insert.setBinaryStream(8, content, size);
            } else {
                insert.setNull(8, java.sql.Types.BINARY);
            }
            insert.executeUpdate();
            if (!inline) {
                insertChunks(c, messageId, content);
            }
        }
    }

    /** All of {@code content}, which must be {@code size} bytes long, as the stream binding would insist too. */
    private static byte[] readExactly(InputStream content, int size) throws SQLException {
        try {
            byte[] bytes = content.readNBytes(size);
            if (bytes.length != size || content.read() != -1) {
                throw new SQLException("the message being stored is not the " + size + " bytes it was said to be");
            }
            return bytes;
        } catch (java.io.IOException e) {
            throw new SQLException("cannot read the message being stored: " + e.getMessage(), e);
        }
    }

    static void insertChunks(Connection c, String messageId, InputStream content) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO message_chunks (message_id, seq, data) VALUES (?, ?, ?)")) {
            byte[] chunk = new byte[CHUNK_SIZE];
            for (int seq = 0; ; seq++) {
                int filled = content.readNBytes(chunk, 0, CHUNK_SIZE);
                if (filled == 0) {
                    return;
                }
                insert.setString(1, messageId);
                insert.setInt(2, seq);
                insert.setBytes(3, filled == CHUNK_SIZE ? chunk : java.util.Arrays.copyOf(chunk, filled));
                insert.executeUpdate();
                if (filled < CHUNK_SIZE) {
                    return;
                }
            }
        } catch (java.io.IOException e) {
            throw new SQLException("cannot read the message being stored: " + e.getMessage(), e);
        }
    }

    /** Removes the content of those ids that no message row and no queue entry refers to any more. */
    static void deleteUnreferenced(Connection c, Collection<String> messageIds) throws SQLException {
        if (messageIds.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM message_content WHERE message_id = ?"
                + " AND NOT EXISTS (SELECT 1 FROM messages WHERE messages.message_id = ?)"
                + " AND NOT EXISTS (SELECT 1 FROM outbound_queue WHERE outbound_queue.message_id = ?)")) {
            for (String id : new LinkedHashSet<>(messageIds)) {
                delete.setString(1, id);
                delete.setString(2, id);
                delete.setString(3, id);
                delete.addBatch();
            }
            delete.executeBatch();
        }
    }

    /** Removes every content row nothing refers to; a safety net run at start-up. */
    static int deleteAllUnreferenced(Connection c) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM message_content WHERE"
                + " NOT EXISTS (SELECT 1 FROM messages WHERE messages.message_id = message_content.message_id)"
                + " AND NOT EXISTS (SELECT 1 FROM outbound_queue WHERE outbound_queue.message_id = message_content.message_id)")) {
            return delete.executeUpdate();
        }
    }

    /** The bytes of a message as a stream: whole in memory when small, else spooled to a file (see {@link ContentSpool}). */
    static InputStream open(Connection c, String messageId, ContentSpool spool) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT size, content FROM message_content WHERE message_id = ?")) {
            select.setString(1, messageId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no content for message " + messageId);
                }
                return open(c, messageId, rs, 1, spool);
            }
        }
    }

    /**
     * The bytes of a message from a row that has its size in column {@code sizeColumn} and its content column right
     * after it: from the row when they are kept there, else from its chunks.
     */
    static InputStream open(Connection c, String messageId, ResultSet row, int sizeColumn, ContentSpool spool) throws SQLException {
        long size = row.getLong(sizeColumn);
        if (size <= spool.inlineLimit()) {
            return spool.open(row, sizeColumn + 1, size);
        }
        return spool.openChunks(c, messageId, size, CHUNK_SIZE);
    }

    /** Encodes message properties as text: one property per line, fields separated by tabs, backslash-escaped. */
    static final class PropertyCodec {
        private PropertyCodec() {
        }

        static String encode(List<Property> properties) {
            StringBuilder out = new StringBuilder();
            for (Property property : properties) {
                out.append(escape(property.getNamespace())).append('\t')
                    .append(escape(property.getLocalName())).append('\t')
                    .append(escape(property.getValue())).append('\n');
            }
            return out.toString();
        }

        static List<Property> decode(String text) {
            List<Property> result = new ArrayList<>();
            if (text == null || text.isEmpty()) {
                return result;
            }
            for (String line : text.split("\n")) {
                String[] fields = line.split("\t", -1);
                if (fields.length == 3) {
                    result.add(new Property(unescape(fields[0]), unescape(fields[1]), unescape(fields[2])));
                }
            }
            return result;
        }

        private static String escape(String value) {
            if (value == null) {
                return "\\0";
            }
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
        }

        private static String unescape(String value) {
            if (value.equals("\\0")) {
                return null;
            }
            StringBuilder out = new StringBuilder(value.length());
            for (int i = 0; i < value.length(); i++) {
                char ch = value.charAt(i);
                if (ch == '\\' && i + 1 < value.length()) {
                    char next = value.charAt(++i);
                    out.append(switch (next) {
                        case 't' -> '\t';
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        default -> next;
                    });
                } else {
                    out.append(ch);
                }
            }
            return out.toString();
        }
    }
}

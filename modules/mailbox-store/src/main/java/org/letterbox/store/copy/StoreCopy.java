package org.letterbox.store.copy;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.letterbox.store.jdbc.Database;
import org.letterbox.store.jdbc.SqlDialect;
import org.letterbox.store.jdbc.StoreException;
import org.letterbox.store.mailbox.StoreSchema;

/**
 * Copies every table of a store into an empty one, parents before children, with the ids, UIDs, UIDVALIDITY and
 * mod-sequences it has; message bytes are streamed, and laid out as the target keeps them (in their row or in
 * chunks). Then it reads both back: the same rows, by count and by a digest of every value in key order, and the
 * same message bytes. What is only a node's own (live nodes, events between nodes, session leases) is not copied.
 */
public final class StoreCopy {

    /** A table, its key (the order rows are copied and compared in) and its identity column, if any. */
    private record Table(String name, String key, String identity) {
    }

    private static final List<Table> TABLES = List.of(
        new Table("domains", "name", null),
        new Table("users", "username", null),
        new Table("aliases", "source, target", null),
        new Table("mailboxes", "id", "id"),
        new Table("mailbox_acl", "mailbox_id, entry_key", null),
        new Table("message_content", "message_id", null),
        new Table("messages", "mailbox_id, uid", null),
        new Table("mailbox_keywords", "mailbox_id, keyword", null),
        new Table("subscriptions", "username, mailbox", null),
        new Table("annotations", "mailbox_id, annotation_key", null),
        new Table("quota_max", "scope, scope_key, resource", null),
        new Table("outbound_queue", "id", "id"),
        new Table("dkim_keys", "domain, selector", null));

    private static final String CONTENT_TABLE = "message_content";
    private static final String CONTENT_COLUMN = "content";
    private static final int ROWS_PER_COMMIT = 500;

    /** Hears how far the copy is. */
    public interface Progress {
        /** {@code rows} of {@code total} rows of {@code table} copied so far. */
        void copied(String table, long rows, long total);

        /** The copy is being compared with its source. */
        void verifying(String table);
    }

    /** One table as copied and verified: its rows and the digest both stores gave. */
    public record TableReport(String table, long rows, String digest) {
    }

    /** The copied tables, and the bytes of message content copied. */
    public record Report(List<TableReport> tables, long contentBytes) {
    }

    /** The copy and its source differ (a count or a digest), so the copy is not to be used. */
    public static final class Mismatch extends StoreException {
        Mismatch(String message) {
            super(message);
        }
    }

    private StoreCopy() {
    }

    /**
     * Copies {@code source} into {@code target}, which must be empty, then verifies the copy.
     *
     * @throws StoreException when the target is not empty or cannot receive a copy
     * @throws Mismatch when the verification finds a difference
     */
    public static Report copy(Database source, Database target, Progress progress) {
        requireEmpty(target);
        long contentBytes;
        try (Connection from = source.dedicatedConnection(); Connection to = target.dedicatedConnection()) {
            to.setAutoCommit(false);
            long bytes = 0;
            for (Table table : TABLES) {
                bytes += copyTable(table, from, to, target, progress);
            }
            contentBytes = bytes;
        } catch (SQLException | IOException e) {
            throw new StoreException("the copy failed: " + e.getMessage(), e);
        }
        List<TableReport> reports = new ArrayList<>();
        for (Table table : TABLES) {
            progress.verifying(table.name());
            TableReport copied = digest(table, source);
            TableReport verified = digest(table, target);
            if (copied.rows() != verified.rows() || !copied.digest().equals(verified.digest())) {
                throw new Mismatch(table.name() + ": " + copied.rows() + " rows (" + copied.digest() + ") in the source, "
                    + verified.rows() + " (" + verified.digest() + ") in the copy");
            }
            reports.add(verified);
        }
        return new Report(reports, contentBytes);
    }

    private static void requireEmpty(Database target) {
        for (Table table : TABLES) {
            long rows = count(target, table.name());
            if (rows > 0) {
                throw new StoreException("the target is not empty: " + table.name() + " has " + rows
                    + " rows (copy into a new, empty database)");
            }
        }
    }

    private static long count(Database db, String table) {
        return db.read(c -> {
            try (Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Copies one table; returns the bytes of message content it moved (0 for the others). */
    private static long copyTable(Table table, Connection from, Connection to, Database target, Progress progress)
            throws SQLException, IOException {
        long total;
        try (Statement statement = from.createStatement(); ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table.name())) {
            rs.next();
            total = rs.getLong(1);
        }
        SqlDialect dialect = target.dialect();
        SqlDialect.IdentityOverride identity = table.identity() == null ? null
            : dialect.keepIdentity(to, table.name(), table.identity());
        long rows = 0;
        long contentBytes = 0;
        boolean content = table.name().equals(CONTENT_TABLE);
        try (Statement select = from.createStatement();
             ResultSet rs = select.executeQuery("SELECT * FROM " + table.name() + " ORDER BY " + table.key())) {
            ResultSetMetaData columns = rs.getMetaData();
            int count = columns.getColumnCount();
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                names.add(columns.getColumnName(i).toLowerCase(java.util.Locale.ROOT));
            }
            String insertSql = "INSERT INTO " + table.name() + " (" + String.join(", ", names) + ") "
                + (identity == null ? "" : identity.insertClause() + " ")
                + "VALUES (" + "?, ".repeat(count - 1) + "?)";
            try (PreparedStatement insert = to.prepareStatement(insertSql)) {
                while (rs.next()) {
                    String messageId = content ? rs.getString("message_id") : null;
                    boolean chunked = false;
                    for (int i = 1; i <= count; i++) {
                        if (content && names.get(i - 1).equals(CONTENT_COLUMN)) {
                            long size = rs.getLong("size");
                            contentBytes += size;
                            chunked = size > target.spool().inlineLimit();
                            if (chunked) {
                                insert.setNull(i, Types.BINARY);
                            } else {
                                insert.setBytes(i, rs.getBytes(i));
                            }
                        } else {
                            bind(insert, i, rs, columns.getColumnType(i));
                        }
                    }
                    insert.executeUpdate();
                    if (chunked) {
                        try (InputStream bytes = rs.getBinaryStream(CONTENT_COLUMN)) {
                            StoreSchema.insertContentChunks(to, messageId, bytes);
                        }
                    }
                    if (++rows % ROWS_PER_COMMIT == 0) {
                        to.commit();
                        progress.copied(table.name(), rows, total);
                    }
                }
            }
        }
        to.commit();
        if (identity != null) {
            identity.close();
            to.commit();
        }
        progress.copied(table.name(), rows, total);
        return contentBytes;
    }

    private static void bind(PreparedStatement insert, int index, ResultSet rs, int type) throws SQLException {
        switch (type) {
            case Types.CLOB, Types.LONGVARCHAR, Types.VARCHAR, Types.CHAR -> insert.setString(index, rs.getString(index));
            case Types.BLOB, Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> insert.setBytes(index, rs.getBytes(index));
            case Types.TIMESTAMP -> {
                Timestamp time = rs.getTimestamp(index);
                if (time != null) {
                    // kept to the microsecond, as PostgreSQL keeps it (it would round, the digest truncates)
                    time.setNanos(time.getNanos() / 1000 * 1000);
                }
                insert.setTimestamp(index, time);
            }
            case Types.SMALLINT, Types.INTEGER -> {
                int value = rs.getInt(index);
                if (rs.wasNull()) {
                    insert.setNull(index, type);
                } else {
                    insert.setInt(index, value);
                }
            }
            case Types.BIGINT -> {
                long value = rs.getLong(index);
                if (rs.wasNull()) {
                    insert.setNull(index, type);
                } else {
                    insert.setLong(index, value);
                }
            }
            default -> insert.setObject(index, rs.getObject(index));
        }
    }

    /**
     * A table's rows in key order, every value in a form both backends give alike, through SHA-256; for message
     * content, the bytes of each message as the store hands them out.
     */
    private static TableReport digest(Table table, Database db) {
        return db.read(c -> {
            MessageDigest digest = sha256();
            long rows = 0;
            boolean content = table.name().equals(CONTENT_TABLE);
            try (Statement statement = c.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT * FROM " + table.name() + " ORDER BY " + table.key())) {
                ResultSetMetaData columns = rs.getMetaData();
                while (rs.next()) {
                    rows++;
                    // by column name: the two schemas need not list their columns in the same order
                    java.util.TreeMap<String, String> values = new java.util.TreeMap<>();
                    for (int i = 1; i <= columns.getColumnCount(); i++) {
                        String name = columns.getColumnName(i).toLowerCase(java.util.Locale.ROOT);
                        if (!(content && name.equals(CONTENT_COLUMN))) {
                            values.put(name, normalized(rs, i, columns.getColumnType(i)));
                        }
                    }
                    digest.update((values + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    if (content) {
                        try (InputStream bytes = StoreSchema.openContent(c, rs.getString("message_id"), db.spool())) {
                            byte[] buffer = new byte[64 * 1024];
                            for (int n; (n = bytes.read(buffer)) > 0; ) {
                                digest.update(buffer, 0, n);
                            }
                        } catch (IOException e) {
                            throw new SQLException("cannot read message " + rs.getString("message_id") + ": " + e.getMessage(), e);
                        }
                    }
                }
            }
            return new TableReport(table.name(), rows, HexFormat.of().formatHex(digest.digest()));
        });
    }

    private static String normalized(ResultSet rs, int index, int type) throws SQLException {
        switch (type) {
            case Types.BLOB, Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> {
                byte[] bytes = rs.getBytes(index);
                return bytes == null ? "\\N" : Base64.getEncoder().encodeToString(bytes);
            }
            case Types.TIMESTAMP -> {
                Timestamp time = rs.getTimestamp(index);
                // to the microsecond, PostgreSQL's precision
                return time == null ? "\\N" : Math.floorDiv(time.getTime(), 1000) + "." + time.getNanos() / 1000;
            }
            default -> {
                String value = rs.getString(index);
                return value == null ? "\\N" : value;
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.letterbox.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * PostgreSQL 15 and newer, shared by several nodes. The schema versions mirror Derby's one for one, with
 * PostgreSQL's types (TEXT, BYTEA); message bytes above {@link #INLINE_CONTENT_LIMIT} go to {@code message_chunks},
 * because the JDBC driver reads a BYTEA value whole.
 */
public class PostgresDialect implements SqlDialect {

    /** Largest message kept in its {@code message_content} row; larger ones are split into chunks. */
    public static final long INLINE_CONTENT_LIMIT = ContentSpool.IN_MEMORY_LIMIT;

    /** Key of the advisory lock that serializes schema migrations across nodes ("LBOX" in ASCII). */
    private static final long SCHEMA_LOCK_KEY = 0x4C424F58L;

    private static final List<List<String>> MIGRATIONS = List.of(
        // version 1: the initial schema (Derby's version 1), with message bytes in chunks when large
        List.of(
            "CREATE TABLE domains (name VARCHAR(253) NOT NULL PRIMARY KEY, created TIMESTAMP NOT NULL)",
            "CREATE TABLE users (username VARCHAR(320) NOT NULL PRIMARY KEY, password_hash VARCHAR(512) NOT NULL,"
                + " created TIMESTAMP NOT NULL)",
            "CREATE TABLE aliases (source VARCHAR(320) NOT NULL, target VARCHAR(320) NOT NULL,"
                + " PRIMARY KEY (source, target))",
            "CREATE TABLE mailboxes (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                + " namespace VARCHAR(64) NOT NULL, username VARCHAR(320) NOT NULL, name VARCHAR(1024) NOT NULL,"
                + " uid_validity BIGINT NOT NULL, last_uid BIGINT NOT NULL, highest_modseq BIGINT NOT NULL,"
                + " CONSTRAINT mailbox_path UNIQUE (namespace, username, name))",
            "CREATE TABLE mailbox_acl (mailbox_id BIGINT NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,"
                + " entry_key VARCHAR(400) NOT NULL, rights VARCHAR(64) NOT NULL, PRIMARY KEY (mailbox_id, entry_key))",
            "CREATE INDEX mailbox_acl_key ON mailbox_acl (entry_key)",
            "CREATE TABLE message_content (message_id VARCHAR(64) NOT NULL PRIMARY KEY, size BIGINT NOT NULL,"
                + " body_start INT NOT NULL, text_lines BIGINT, media_type VARCHAR(255), sub_type VARCHAR(255),"
                + " properties TEXT, content BYTEA)",
            "CREATE TABLE message_chunks (message_id VARCHAR(64) NOT NULL REFERENCES message_content(message_id)"
                + " ON DELETE CASCADE, seq INT NOT NULL, data BYTEA NOT NULL, PRIMARY KEY (message_id, seq))",
            "CREATE TABLE messages (mailbox_id BIGINT NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,"
                + " uid BIGINT NOT NULL, message_id VARCHAR(64) NOT NULL REFERENCES message_content(message_id),"
                + " thread_id VARCHAR(64) NOT NULL, modseq BIGINT NOT NULL, internal_date TIMESTAMP NOT NULL,"
                + " save_date TIMESTAMP, size BIGINT NOT NULL, answered SMALLINT NOT NULL, deleted SMALLINT NOT NULL,"
                + " draft SMALLINT NOT NULL, flagged SMALLINT NOT NULL, recent SMALLINT NOT NULL, seen SMALLINT NOT NULL,"
                + " user_flags VARCHAR(4000), PRIMARY KEY (mailbox_id, uid))",
            "CREATE TABLE mailbox_keywords (mailbox_id BIGINT NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,"
                + " keyword VARCHAR(255) NOT NULL, PRIMARY KEY (mailbox_id, keyword))",
            "CREATE INDEX messages_by_message_id ON messages (message_id)",
            "CREATE INDEX messages_modseq ON messages (mailbox_id, modseq)",
            "CREATE TABLE subscriptions (username VARCHAR(320) NOT NULL, mailbox VARCHAR(1024) NOT NULL,"
                + " PRIMARY KEY (username, mailbox))",
            "CREATE TABLE annotations (mailbox_id BIGINT NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,"
                + " annotation_key VARCHAR(200) NOT NULL, annotation_value TEXT NOT NULL,"
                + " PRIMARY KEY (mailbox_id, annotation_key))",
            "CREATE TABLE quota_max (scope VARCHAR(8) NOT NULL, scope_key VARCHAR(400) NOT NULL,"
                + " resource VARCHAR(8) NOT NULL, quota_limit BIGINT NOT NULL, PRIMARY KEY (scope, scope_key, resource))",
            "CREATE TABLE outbound_queue (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                + " sender VARCHAR(512) NOT NULL, recipient VARCHAR(512) NOT NULL,"
                + " message_id VARCHAR(64) NOT NULL REFERENCES message_content(message_id),"
                + " created TIMESTAMP NOT NULL, attempts INT NOT NULL, next_attempt TIMESTAMP NOT NULL,"
                + " last_error VARCHAR(2000))",
            "CREATE INDEX outbound_queue_by_message_id ON outbound_queue (message_id)"),
        // version 2: users who may submit with any header From
        List.of("ALTER TABLE users ADD COLUMN any_from SMALLINT NOT NULL DEFAULT 0"),
        // version 3: outbound delivery (held entries, claims, delay notices, DSN parameters, last attempt)
        List.of("ALTER TABLE outbound_queue ADD COLUMN held SMALLINT NOT NULL DEFAULT 0",
            "ALTER TABLE outbound_queue ADD COLUMN claimed_until TIMESTAMP",
            "ALTER TABLE outbound_queue ADD COLUMN delay_notified SMALLINT NOT NULL DEFAULT 0",
            "ALTER TABLE outbound_queue ADD COLUMN dsn_notify VARCHAR(40)",
            "ALTER TABLE outbound_queue ADD COLUMN dsn_orcpt VARCHAR(600)",
            "ALTER TABLE outbound_queue ADD COLUMN dsn_envid VARCHAR(120)",
            "ALTER TABLE outbound_queue ADD COLUMN dsn_ret VARCHAR(4)",
            "ALTER TABLE outbound_queue ADD COLUMN last_attempt TIMESTAMP",
            "CREATE INDEX outbound_queue_due ON outbound_queue (next_attempt)"),
        // version 4: DKIM keys per domain
        List.of("CREATE TABLE dkim_keys (domain VARCHAR(253) NOT NULL, selector VARCHAR(63) NOT NULL,"
            + " algorithm VARCHAR(20) NOT NULL, private_key BYTEA NOT NULL, public_key VARCHAR(2000) NOT NULL,"
            + " created TIMESTAMP NOT NULL, state VARCHAR(10) NOT NULL, changed TIMESTAMP NOT NULL,"
            + " PRIMARY KEY (domain, selector))"),
        // version 5: the live nodes, and the store events each node publishes for the others
        List.of("CREATE TABLE nodes (node VARCHAR(64) NOT NULL PRIMARY KEY, hostname VARCHAR(255) NOT NULL,"
                + " started TIMESTAMP NOT NULL, last_seen TIMESTAMP NOT NULL)",
            "CREATE TABLE store_events (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                + " node VARCHAR(64) NOT NULL, kind VARCHAR(16) NOT NULL, payload TEXT NOT NULL, created TIMESTAMP NOT NULL)",
            "CREATE INDEX store_events_created ON store_events (created)"),
        // version 6: sessions counted per user across nodes (IMAP's per-user cap, POP3's maildrop lock)
        List.of("CREATE TABLE session_leases (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                + " kind VARCHAR(16) NOT NULL, username VARCHAR(320) NOT NULL, node VARCHAR(64) NOT NULL,"
                + " created TIMESTAMP NOT NULL)",
            "CREATE INDEX session_leases_user ON session_leases (username, kind)"));

    @Override
    public String name() {
        return "PostgreSQL";
    }

    @Override
    public List<String> migration(int version) {
        return MIGRATIONS.get(version - 1);
    }

    @Override
    public int latestVersion() {
        return MIGRATIONS.size();
    }

    @Override
    public boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    @Override
    public boolean isMissingTable(SQLException e) {
        return "42P01".equals(e.getSQLState());
    }

    /** Serialization failures, deadlocks and lock timeouts: the unit rolled back to its savepoint may run again. */
    @Override
    public boolean isRetryable(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state) || "55P03".equals(state);
    }

    /**
     * Within a savepoint, PostgreSQL undoes only the failed statement's subtransaction; the whole transaction is
     * gone when the connection is (class 08, an administrator's shutdown, class 57P).
     */
    @Override
    public boolean abortsTransaction(SQLException e) {
        for (SQLException link = e; link != null; link = link.getNextException()) {
            String state = link.getSQLState();
            if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long inlineContentLimit() {
        return INLINE_CONTENT_LIMIT;
    }

    /** A session advisory lock, held across each version's commit: the first node migrates, the others wait, then find nothing to do. */
    @Override
    public AutoCloseable lockSchema(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // another node's migration may take longer than the usual lock timeout
            statement.execute("SET LOCAL lock_timeout = 0");
            statement.execute("SELECT pg_advisory_lock(" + SCHEMA_LOCK_KEY + ")");
        }
        return () -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_unlock(" + SCHEMA_LOCK_KEY + ")");
            }
        };
    }

    @Override
    public IdentityOverride keepIdentity(Connection connection, String table, String column) {
        return new IdentityOverride() {
            @Override
            public String insertClause() {
                return "OVERRIDING SYSTEM VALUE";
            }

            @Override
            public void close() throws SQLException {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT setval(pg_get_serial_sequence('" + table + "', '" + column + "'),"
                        + " (SELECT COALESCE(MAX(" + column + "), 0) + 1 FROM " + table + "), false)");
                }
            }
        };
    }
}

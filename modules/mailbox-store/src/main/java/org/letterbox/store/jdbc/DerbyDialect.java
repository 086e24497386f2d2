package org.letterbox.store.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Apache Derby, embedded: the default backend. */
public class DerbyDialect implements SqlDialect {

    private static final List<List<String>> MIGRATIONS = List.of(
        // version 1: the whole initial schema
        List.of(
            "CREATE TABLE domains (name VARCHAR(253) NOT NULL PRIMARY KEY, created TIMESTAMP NOT NULL)",
            "CREATE TABLE users (username VARCHAR(320) NOT NULL PRIMARY KEY, password_hash VARCHAR(512) NOT NULL,"
                + " created TIMESTAMP NOT NULL)",
            "CREATE TABLE aliases (source VARCHAR(320) NOT NULL, target VARCHAR(320) NOT NULL,"
                + " PRIMARY KEY (source, target))",
            "CREATE TABLE mailboxes (id BIGINT NOT NULL GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                + " namespace VARCHAR(64) NOT NULL, username VARCHAR(320) NOT NULL, name VARCHAR(1024) NOT NULL,"
                + " uid_validity BIGINT NOT NULL, last_uid BIGINT NOT NULL, highest_modseq BIGINT NOT NULL,"
                + " CONSTRAINT mailbox_path UNIQUE (namespace, username, name))",
            "CREATE TABLE mailbox_acl (mailbox_id BIGINT NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,"
                + " entry_key VARCHAR(400) NOT NULL, rights VARCHAR(64) NOT NULL, PRIMARY KEY (mailbox_id, entry_key))",
            "CREATE INDEX mailbox_acl_key ON mailbox_acl (entry_key)",
            "CREATE TABLE message_content (message_id VARCHAR(64) NOT NULL PRIMARY KEY, size BIGINT NOT NULL,"
                + " body_start INT NOT NULL, text_lines BIGINT, media_type VARCHAR(255), sub_type VARCHAR(255),"
                + " properties CLOB, content BLOB(2G) NOT NULL)",
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
                + " annotation_key VARCHAR(200) NOT NULL, annotation_value CLOB NOT NULL,"
                + " PRIMARY KEY (mailbox_id, annotation_key))",
            "CREATE TABLE quota_max (scope VARCHAR(8) NOT NULL, scope_key VARCHAR(400) NOT NULL,"
                + " resource VARCHAR(8) NOT NULL, quota_limit BIGINT NOT NULL, PRIMARY KEY (scope, scope_key, resource))",
            "CREATE TABLE outbound_queue (id BIGINT NOT NULL GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                + " sender VARCHAR(512) NOT NULL, recipient VARCHAR(512) NOT NULL,"
                + " message_id VARCHAR(64) NOT NULL REFERENCES message_content(message_id),"
                + " created TIMESTAMP NOT NULL, attempts INT NOT NULL, next_attempt TIMESTAMP NOT NULL,"
                + " last_error VARCHAR(2000))"),
        // version 2: users who may submit with any header From (a shared mailbox, a mailing tool)
        List.of("ALTER TABLE users ADD COLUMN any_from SMALLINT NOT NULL DEFAULT 0"),
        // version 3: outbound delivery: entries held by hand, claims of the delivery runner, delay notices sent,
        // the DSN parameters of the submission (RFC 3461), when the last attempt was
        List.of("ALTER TABLE outbound_queue ADD COLUMN held SMALLINT NOT NULL DEFAULT 0",
            "ALTER TABLE outbound_queue ADD COLUMN claimed_until TIMESTAMP",
            "ALTER TABLE outbound_queue ADD COLUMN delay_notified SMALLINT NOT NULL DEFAULT 0",
            "ALTER TABLE outbound_queue ADD COLUMN dsn_notify VARCHAR(40)",
            "ALTER TABLE outbound_queue ADD COLUMN dsn_orcpt VARCHAR(600)",
            "ALTER TABLE outbound_queue ADD COLUMN dsn_envid VARCHAR(120)",
            "ALTER TABLE outbound_queue ADD COLUMN dsn_ret VARCHAR(4)",
            "ALTER TABLE outbound_queue ADD COLUMN last_attempt TIMESTAMP",
            "CREATE INDEX outbound_queue_due ON outbound_queue (next_attempt)"),
        // version 4: DKIM keys per domain (pending: published, not yet signing; active: signing; retired: kept for
        // verification of mail already sent, then removed)
        List.of("CREATE TABLE dkim_keys (domain VARCHAR(253) NOT NULL, selector VARCHAR(63) NOT NULL,"
            + " algorithm VARCHAR(20) NOT NULL, private_key BLOB(16K) NOT NULL, public_key VARCHAR(2000) NOT NULL,"
            + " created TIMESTAMP NOT NULL, state VARCHAR(10) NOT NULL, changed TIMESTAMP NOT NULL,"
            + " PRIMARY KEY (domain, selector))"),
        // version 5: several nodes on one database (PostgreSQL only uses them; Derby keeps the same schema): the
        // live nodes, and the store events each node publishes for the others
        List.of("CREATE TABLE nodes (node VARCHAR(64) NOT NULL PRIMARY KEY, hostname VARCHAR(255) NOT NULL,"
                + " started TIMESTAMP NOT NULL, last_seen TIMESTAMP NOT NULL)",
            "CREATE TABLE store_events (id BIGINT NOT NULL GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                + " node VARCHAR(64) NOT NULL, kind VARCHAR(16) NOT NULL, payload CLOB NOT NULL, created TIMESTAMP NOT NULL)",
            "CREATE INDEX store_events_created ON store_events (created)"),
        // version 6: sessions counted per user across nodes (PostgreSQL only uses it)
        List.of("CREATE TABLE session_leases (id BIGINT NOT NULL GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                + " kind VARCHAR(16) NOT NULL, username VARCHAR(320) NOT NULL, node VARCHAR(64) NOT NULL,"
                + " created TIMESTAMP NOT NULL)",
            "CREATE INDEX session_leases_user ON session_leases (username, kind)"));

    @Override
    public String name() {
        return "Derby";
    }

    /** JDBC URL that opens (and, if needed, creates) the database in {@code dataDir}. */
    public String jdbcUrl(Path dataDir) {
        return "jdbc:derby:" + dataDir.resolve("db").toAbsolutePath() + ";create=true";
    }

    /** JDBC URL that shuts the database in {@code dataDir} down cleanly. */
    public String shutdownUrl(Path dataDir) {
        return "jdbc:derby:" + dataDir.resolve("db").toAbsolutePath() + ";shutdown=true";
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
        return "42X05".equals(e.getSQLState());
    }

    /** Derby: SQL state class 40, or an error of transaction severity (30000) or worse (lost connection, I/O). */
    @Override
    public boolean abortsTransaction(SQLException e) {
        for (SQLException link = e; link != null; link = link.getNextException()) {
            String state = link.getSQLState();
            if ((state != null && (state.startsWith("40") || state.startsWith("08") || state.startsWith("XJ")))
                || link.getErrorCode() >= 30000) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean isRetryable(SQLException e) {
        return "40001".equals(e.getSQLState()) || "40XL1".equals(e.getSQLState()) || "40XL2".equals(e.getSQLState());
    }

    /** Derby streams BLOBs both ways: every message keeps its bytes in its row. */
    @Override
    public long inlineContentLimit() {
        return Long.MAX_VALUE;
    }

    /** One process holds the data directory's lock: nobody else can migrate. */
    @Override
    public AutoCloseable lockSchema(Connection connection) {
        return () -> { };
    }
}

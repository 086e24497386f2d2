package org.letterbox.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the dialect's numbered migrations that the store has not seen yet, each in its own transaction, and
 * records them in {@code schema_version}. Refuses a store whose version is newer than the code.
 */
public final class SchemaMigrator {

    private static final Logger LOGGER = LoggerFactory.getLogger(SchemaMigrator.class);

    private final SqlDialect dialect;

    public SchemaMigrator(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** Current schema version of the store behind {@code connection}; 0 for an empty store. */
    public int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT MAX(version) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            if (dialect.isMissingTable(e)) {
                connection.rollback();
                return 0;
            }
            throw e;
        }
    }

    /** Brings the schema to the latest version; {@code connection} must not be in autocommit mode. */
    public void migrate(Connection connection) throws SQLException {
        try (AutoCloseable lock = dialect.lockSchema(connection)) {
            migrateLocked(connection);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException("cannot release the schema lock: " + e.getMessage(), e);
        }
        connection.commit();
    }

    private void migrateLocked(Connection connection) throws SQLException {
        int current = currentVersion(connection);
        int latest = dialect.latestVersion();
        if (current > latest) {
            throw new SchemaTooNewException(current, latest);
        }
        if (current == 0) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE schema_version (version INT NOT NULL PRIMARY KEY, applied TIMESTAMP NOT NULL)");
            }
            connection.commit();
        }
        for (int version = current + 1; version <= latest; version++) {
            try (Statement statement = connection.createStatement()) {
                for (String ddl : dialect.migration(version)) {
                    statement.execute(ddl);
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO schema_version (version, applied) VALUES (?, ?)")) {
                insert.setInt(1, version);
                insert.setTimestamp(2, Timestamp.from(Instant.now()));
                insert.executeUpdate();
            }
            connection.commit();
            LOGGER.info("store schema migrated to version {}", version);
        }
    }
}

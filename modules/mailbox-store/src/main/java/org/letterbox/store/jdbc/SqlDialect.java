package org.letterbox.store.jdbc;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

/**
 * Everything vendor-specific about the SQL we send lives behind this interface: connection URLs, column types
 * and the DDL of each schema version. The mappers themselves only use portable SQL.
 */
public interface SqlDialect {

    /** JDBC URL that opens (and, if needed, creates) the database in {@code dataDir}. */
    String jdbcUrl(Path dataDir);

    /** JDBC URL that shuts the database down cleanly, or null when the vendor has no such notion. */
    String shutdownUrl(Path dataDir);

    /** The DDL statements that bring the schema from {@code version - 1} to {@code version}. */
    List<String> migration(int version);

    /** Highest schema version this dialect knows. */
    int latestVersion();

    /** True when the exception says a unique or primary key constraint was violated. */
    boolean isDuplicateKey(SQLException e);

    /** True when the exception says the statement referred to a table that does not exist. */
    boolean isMissingTable(SQLException e);

    /** True when the transaction was chosen as a deadlock victim or timed out on a lock, and may be retried. */
    boolean isRetryable(SQLException e);

    /**
     * True when the database rolled back the whole transaction on this error, not only the statement or the
     * savepoint: everything done in it so far is gone.
     */
    boolean abortsTransaction(SQLException e);
}

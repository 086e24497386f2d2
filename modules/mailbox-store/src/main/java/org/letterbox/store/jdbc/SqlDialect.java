package org.letterbox.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Everything vendor-specific about the SQL we send lives behind this interface: column types and the DDL of each
 * schema version, the meaning of error codes, how schema changes are serialized, how message bytes are laid out.
 * How connections are opened is the {@link ConnectionSource}'s. The mappers themselves only use portable SQL.
 */
public interface SqlDialect {

    /** A short name for logs and errors. */
    String name();

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

    /**
     * Messages up to this many bytes keep their bytes in {@code message_content.content}; larger ones are stored in
     * {@code message_chunks}, so that neither writing nor reading them needs the whole message in the heap (a
     * driver that cannot stream a column reads it whole).
     */
    long inlineContentLimit();

    /**
     * Serializes schema migrations among the nodes that share the database, until the returned lock is closed.
     * {@code connection} is the migrating one, not in autocommit mode.
     */
    AutoCloseable lockSchema(Connection connection) throws SQLException;

    /**
     * Inserts into {@code table} (a table with an identity column {@code column}) keep the ids they are given, until
     * the returned handle is closed, after which new rows are numbered after the highest id: how a copy of a store
     * keeps its mailbox ids. Dialects that cannot be a copy's target say so.
     */
    default IdentityOverride keepIdentity(Connection connection, String table, String column) throws SQLException {
        throw new UnsupportedOperationException(name() + " cannot receive a copied store");
    }

    /** What an INSERT needs to keep given ids, and what restores numbering afterwards. */
    interface IdentityOverride extends AutoCloseable {
        /** Goes between the column list and VALUES. */
        String insertClause();

        @Override
        void close() throws SQLException;
    }
}

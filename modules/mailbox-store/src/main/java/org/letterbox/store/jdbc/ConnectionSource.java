package org.letterbox.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** How the store gets its JDBC connections, and what it must release when it closes. */
public interface ConnectionSource extends AutoCloseable {

    /** A connection at READ COMMITTED; the caller closes it (for a pool: gives it back). */
    Connection connect() throws SQLException;

    /**
     * True when connections come from a pool that checks and replaces them: reads then borrow one per call instead
     * of keeping their own.
     */
    boolean pooled();

    /** A short description for log lines and errors: where the database is. */
    String describe();

    /** Closes the database side (Derby shuts down; a pool closes its connections). */
    @Override
    void close();
}

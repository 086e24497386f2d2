package org.letterbox.store.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedded Derby in {@code <data directory>/db}: connections straight from the driver, the data directory's lock
 * held for as long as the database is open, and a clean shutdown at close.
 */
public final class DerbyConnections implements ConnectionSource {

    private static final Logger LOGGER = LoggerFactory.getLogger(DerbyConnections.class);

    private final Path dataDir;
    private final DerbyDialect dialect;
    private final DataDirectoryLock lock;

    private DerbyConnections(Path dataDir, DerbyDialect dialect, DataDirectoryLock lock) {
        this.dataDir = dataDir;
        this.dialect = dialect;
        this.lock = lock;
    }

    /** Locks {@code dataDir} for this process; refused when another process holds it. */
    public static DerbyConnections lock(Path dataDir, DerbyDialect dialect) {
        return new DerbyConnections(dataDir, dialect, DataDirectoryLock.acquire(dataDir));
    }

    @Override
    public Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(dialect.jdbcUrl(dataDir));
        connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        return connection;
    }

    @Override
    public boolean pooled() {
        return false;
    }

    @Override
    public String describe() {
        return "the store in " + dataDir.toAbsolutePath();
    }

    @Override
    public void close() {
        try {
            DriverManager.getConnection(dialect.shutdownUrl(dataDir)).close();
        } catch (SQLException expected) {
            // Derby reports a successful database shutdown as an exception (08006).
            if (!"08006".equals(expected.getSQLState())) {
                LOGGER.warn("store shutdown: {}", expected.getMessage());
            }
        } finally {
            lock.release();
        }
    }
}

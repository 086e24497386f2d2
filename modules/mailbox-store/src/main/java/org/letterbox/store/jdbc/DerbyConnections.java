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

    /**
     * Boots Derby's engine without opening a database, so that the first {@link #connect()} boots only the database:
     * the engine is about 0.2 s of a start, which a caller can spend on another thread while it does other work.
     * Harmless to call more than once, or while a database is open.
     */
    public static void bootEngine() {
        // making the embedded driver boots the engine; a connection to no database booted it too, but Derby wrote
        // its refusal (XJ004) with a stack trace to derby.log at every start. A real failure shows at connect()
        new org.apache.derby.jdbc.EmbeddedDriver();
    }

    /** Stops an engine that {@link #bootEngine()} booted when no Derby database is going to be opened after all. */
    public static void shutDownEngine() {
        try {
            DriverManager.getConnection("jdbc:derby:;shutdown=true").close();
        } catch (SQLException expected) {
            // Derby reports a successful shutdown of the engine as an exception (XJ015)
            if (!"XJ015".equals(expected.getSQLState())) {
                LOGGER.warn("store engine shutdown: {}", expected.getMessage());
            }
        }
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

package org.letterbox.store.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC side of the store: one writer connection fed by a queue, and a small pool of reader connections.
 *
 * <p>Every write is a {@link Work} unit. A single writer thread drains whatever units are queued, runs each under
 * its own savepoint (so one failing unit is rolled back alone) and then commits them all with one durable commit.
 * When a unit's failure makes the database roll back the whole transaction (a deadlock, a lock timeout, an I/O
 * error), the units before it are lost with it and their callers are told so; no caller is released as committed
 * unless the commit that carried its unit returned.
 * Concurrent appends therefore share one log flush: this is our group commit. A unit's caller is released only
 * after that commit returned, so a write that returned is on disk.
 *
 * <p>Reads run on pooled connections in autocommit mode at READ COMMITTED; they never see a unit that has not been
 * committed.
 */
public final class Database implements AutoCloseable {

    /** One unit of work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private static final Logger LOGGER = LoggerFactory.getLogger(Database.class);
    private static final int MAX_UNITS_PER_COMMIT = 256;

    private final SqlDialect dialect;
    private final Path dataDir;
    private final ContentSpool spool;
    private final Connection writer;
    private final BlockingQueue<Connection> readers;
    private final List<Connection> allReaders = new ArrayList<>();
    private final LinkedBlockingQueue<Job<?>> writeQueue = new LinkedBlockingQueue<>();
    private final Thread writerThread;
    private volatile boolean closed;
    private DataDirectoryLock lock;
    private volatile long commits;
    private volatile long units;
    private final java.util.concurrent.atomic.AtomicLong contentReads = new java.util.concurrent.atomic.AtomicLong();

    private Database(SqlDialect dialect, Path dataDir, int readerCount) throws SQLException {
        this.dialect = dialect;
        this.dataDir = dataDir;
        this.spool = new ContentSpool(dataDir);
        this.writer = open();
        this.writer.setAutoCommit(false);
        this.readers = new ArrayBlockingQueue<>(readerCount);
        for (int i = 0; i < readerCount; i++) {
            Connection reader = open();
            reader.setAutoCommit(true);
            readers.add(reader);
            allReaders.add(reader);
        }
        this.writerThread = new Thread(this::writeLoop, "letterbox-store-writer");
        this.writerThread.setDaemon(true);
    }

    /**
     * Opens (creating if needed) the database in {@code dataDir} and brings its schema up to date.
     *
     * @param readerCount number of pooled connections for reads
     */
    public static Database open(SqlDialect dialect, Path dataDir, int readerCount) {
        DataDirectoryLock lock = DataDirectoryLock.acquire(dataDir);
        try {
            Database database = new Database(dialect, dataDir, readerCount);
            database.lock = lock;
            new SchemaMigrator(dialect).migrate(database.writer);
            database.writerThread.start();
            return database;
        } catch (SQLException | RuntimeException e) {
            lock.release();
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StoreException(describeOpenFailure((SQLException) e, dataDir), e);
        }
    }

    private static String describeOpenFailure(SQLException e, Path dataDir) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "XSDB6".equals(sql.getSQLState())) {
                return "the store in " + dataDir.toAbsolutePath()
                    + " is already in use by another process (is another Letterbox running on this data directory?)";
            }
            if (t instanceof SchemaTooNewException) {
                return t.getMessage();
            }
        }
        return "cannot open the store in " + dataDir.toAbsolutePath() + ": " + e.getMessage();
    }

    private Connection open() throws SQLException {
        Connection connection = DriverManager.getConnection(dialect.jdbcUrl(dataDir));
        connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        return connection;
    }

    public SqlDialect dialect() {
        return dialect;
    }

    /** Runs {@code work} in the next group commit and returns its result once that commit is durable. */
    public <T> T write(Work<T> work) {
        if (closed) {
            throw new StoreException("the store is closed");
        }
        if (Thread.currentThread() == writerThread) {
            throw new IllegalStateException("nested write");
        }
        Job<T> job = new Job<>(work);
        writeQueue.add(job);
        try {
            return job.future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a commit", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new StoreException(cause.getMessage(), cause);
        }
    }

    /**
     * Runs a read-only unit on a pooled connection. A connection that dies under it (Derby closes one whose thread
     * is interrupted, as a cancelled request's is) is replaced before it goes back to the pool, and the unit is
     * tried once more on the new one, so one cancelled read never poisons every later one.
     */
    public <T> T read(Work<T> work) {
        Connection connection;
        try {
            connection = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a connection", e);
        }
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    return work.run(connection);
                } catch (SQLException e) {
                    if (attempt < 5 && dialect.isRetryable(e)) {
                        continue;
                    }
                    if (attempt == 1 && isClosed(connection)) {
                        connection = replace(connection);
                        continue;
                    }
                    throw new StoreException(e.getMessage(), e);
                }
            }
        } finally {
            if (isClosed(connection)) {
                connection = replace(connection);
            }
            readers.add(connection);
        }
    }

    private static boolean isClosed(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** A fresh reader in place of a dead one; the dead one if the database itself is gone (closing, shut down). */
    private Connection replace(Connection dead) {
        if (closed) {
            return dead;
        }
        try {
            Connection fresh = open();
            fresh.setAutoCommit(true);
            synchronized (allReaders) {
                allReaders.remove(dead);
                allReaders.add(fresh);
            }
            LOGGER.warn("a store reader connection was closed under a read (an interrupted thread); replaced it");
            return fresh;
        } catch (SQLException e) {
            LOGGER.error("cannot replace a closed store reader connection: {}", e.getMessage());
            return dead;
        }
    }

    /** Where large message bytes go on their way out, so that they are never whole in the heap. */
    public ContentSpool spool() {
        return spool;
    }

    /** Counts one read of message bytes (a body or a whole message) from the store. */
    public void countContentRead() {
        contentReads.incrementAndGet();
    }

    /** How many times message bytes were read: lets tests show that listings never touch bodies. */
    public long contentReadCount() {
        return contentReads.get();
    }

    /** Number of durable commits so far, and of units they carried: a measure of how well commits group. */
    public long commitCount() {
        return commits;
    }

    public long unitCount() {
        return units;
    }

    private void writeLoop() {
        List<Job<?>> batch = new ArrayList<>();
        while (true) {
            try {
                Job<?> first = writeQueue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed && writeQueue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                writeQueue.drainTo(batch, MAX_UNITS_PER_COMMIT - 1);
                runBatch(batch);
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            } catch (Throwable t) {
                LOGGER.error("store writer failed", t);
                batch.forEach(job -> job.future.completeExceptionally(t));
            } finally {
                batch.clear();
            }
        }
    }

    private void runBatch(List<Job<?>> batch) {
        List<Job<?>> succeeded = new ArrayList<>(batch.size());
        for (Job<?> job : batch) {
            Throwable lost = runUnit(job);
            if (lost == null) {
                succeeded.add(job);
            } else if (!succeeded.isEmpty()) {
                // the database undid the whole transaction, the units that went before this one with it
                rollbackQuietly();
                StoreException failure = new StoreException("the transaction was rolled back, nothing of this write was kept: "
                    + lost.getMessage(), lost);
                succeeded.forEach(earlier -> earlier.future.completeExceptionally(failure));
                succeeded.clear();
            }
        }
        if (succeeded.isEmpty()) {
            rollbackQuietly();
            return;
        }
        try {
            writer.commit();
            commits++;
            units += succeeded.size();
            succeeded.forEach(Job::complete);
        } catch (SQLException e) {
            rollbackQuietly();
            StoreException failure = new StoreException("commit failed: " + e.getMessage(), e);
            succeeded.forEach(job -> job.future.completeExceptionally(failure));
        }
    }

    /**
     * Runs one unit under its own savepoint. Returns null when it succeeded or failed alone (its savepoint undone,
     * its caller told); when its failure took the whole transaction down, returns that failure.
     */
    private Throwable runUnit(Job<?> job) {
        Savepoint savepoint = null;
        try {
            savepoint = writer.setSavepoint();
            job.runOn(writer);
            writer.releaseSavepoint(savepoint);
            return null;
        } catch (Throwable t) {
            boolean transactionLost = t instanceof SQLException sql && dialect.abortsTransaction(sql);
            if (savepoint != null && !transactionLost) {
                try {
                    writer.rollback(savepoint);
                } catch (SQLException rollbackFailure) {
                    t.addSuppressed(rollbackFailure);
                    transactionLost = true;
                }
            }
            job.future.completeExceptionally(t instanceof SQLException sql ? new StoreException(sql.getMessage(), sql) : t);
            return transactionLost ? t : null;
        }
    }

    private void rollbackQuietly() {
        try {
            writer.rollback();
        } catch (SQLException e) {
            LOGGER.warn("rollback failed", e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writerThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection connection : allReaders) {
            closeQuietly(connection);
        }
        closeQuietly(writer);
        String shutdown = dialect.shutdownUrl(dataDir);
        if (shutdown != null) {
            try {
                DriverManager.getConnection(shutdown).close();
            } catch (SQLException expected) {
                // Derby reports a successful database shutdown as an exception (08006).
                if (!"08006".equals(expected.getSQLState())) {
                    LOGGER.warn("store shutdown: {}", expected.getMessage());
                }
            }
        }
        if (lock != null) {
            lock.release();
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOGGER.debug("close failed", e);
        }
    }

    private static final class Job<T> {
        private final Work<T> work;
        private final CompletableFuture<T> future = new CompletableFuture<>();
        private T result;

        private Job(Work<T> work) {
            this.work = work;
        }

        void runOn(Connection connection) throws SQLException {
            result = work.run(connection);
        }

        void complete() {
            future.complete(result);
        }
    }
}

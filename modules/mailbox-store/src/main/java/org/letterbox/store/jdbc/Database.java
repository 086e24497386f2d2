package org.letterbox.store.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
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
 * The JDBC side of the store: one writer connection fed by a queue, and reader connections (a small set of its
 * own for Derby; borrowed from the {@link ConnectionSource}'s pool for each read when it has one).
 *
 * <p>Every write is a {@link Work} unit. A single writer thread drains whatever units are queued, runs each under
 * its own savepoint (so one failing unit is rolled back alone) and then commits them all with one durable commit.
 * When a unit's failure makes the database roll back the whole transaction (on Derby a deadlock or a lock timeout;
 * anywhere a lost connection), the units before it are lost with it and their callers are told so; no caller is
 * released as committed unless the commit that carried its unit returned.
 * A unit that meets a lock conflict with another node (a lock timeout, a deadlock) is undone alone, the units before
 * it are committed, and it runs again in a fresh transaction, where it holds nothing another node could wait for.
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

    private static final int MAX_ATTEMPTS = 5;
    /** A write unit that keeps meeting lock conflicts (other nodes' commits) is given up after this many runs. */
    private static final int MAX_WRITE_ATTEMPTS = 20;

    private final SqlDialect dialect;
    private final ConnectionSource source;
    private final ContentSpool spool;
    private Connection writer;
    private final BlockingQueue<Connection> readers;
    private final List<Connection> allReaders = new ArrayList<>();
    private final LinkedBlockingQueue<Job<?>> writeQueue = new LinkedBlockingQueue<>();
    private final Thread writerThread;
    private volatile boolean closed;
    private volatile long commits;
    private volatile long units;
    private volatile long retries;
    private final java.util.concurrent.atomic.AtomicLong contentReads = new java.util.concurrent.atomic.AtomicLong();

    private Database(SqlDialect dialect, ConnectionSource source, Path spoolParent, int readerCount) throws SQLException {
        this.dialect = dialect;
        this.source = source;
        this.spool = new ContentSpool(spoolParent, dialect.inlineContentLimit());
        this.writer = openWriter();
        if (source.pooled()) {
            // reads borrow a connection from the pool for each call
            this.readers = null;
        } else {
            this.readers = new ArrayBlockingQueue<>(readerCount);
            for (int i = 0; i < readerCount; i++) {
                Connection reader = open();
                reader.setAutoCommit(true);
                readers.add(reader);
                allReaders.add(reader);
            }
        }
        this.writerThread = new Thread(this::writeLoop, "letterbox-store-writer");
        this.writerThread.setDaemon(true);
    }

    /**
     * Opens (creating if needed) the Derby database in {@code dataDir} and brings its schema up to date.
     *
     * @param readerCount number of pooled connections for reads
     */
    public static Database open(SqlDialect dialect, Path dataDir, int readerCount) {
        return open(dialect, DerbyConnections.lock(dataDir, (DerbyDialect) dialect), dataDir, readerCount);
    }

    /**
     * Opens the database behind {@code source} and brings its schema up to date; closes {@code source} when that
     * fails, and when the database is closed.
     *
     * @param spoolParent the directory under which large messages are spooled on their way out ({@code spool/})
     * @param readerCount connections kept for reads when the source is not a pool
     */
    public static Database open(SqlDialect dialect, ConnectionSource source, Path spoolParent, int readerCount) {
        Database database = null;
        try {
            database = new Database(dialect, source, spoolParent, readerCount);
            new SchemaMigrator(dialect).migrate(database.writer);
            database.writerThread.start();
            return database;
        } catch (SQLException | RuntimeException e) {
            if (database != null) {
                database.closeConnections();
            }
            source.close();
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StoreException(describeOpenFailure((SQLException) e, source), e);
        }
    }

    private static String describeOpenFailure(SQLException e, ConnectionSource source) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "XSDB6".equals(sql.getSQLState())) {
                return source.describe()
                    + " is already in use by another process (is another Letterbox running on this data directory?)";
            }
            if (t instanceof SchemaTooNewException) {
                return t.getMessage();
            }
        }
        return "cannot open " + source.describe() + ": " + e.getMessage();
    }

    private Connection open() throws SQLException {
        Connection connection = source.connect();
        connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        return connection;
    }

    private Connection openWriter() throws SQLException {
        Connection connection = open();
        connection.setAutoCommit(false);
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
        if (readers == null) {
            return readPooled(work);
        }
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
                    if (attempt < MAX_ATTEMPTS && dialect.isRetryable(e)) {
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

    /** A read on a connection borrowed from the pool, which checks it before lending it and replaces dead ones. */
    private <T> T readPooled(Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = source.connect()) {
                if (!connection.getAutoCommit()) {
                    connection.setAutoCommit(true);
                }
                return work.run(connection);
            } catch (SQLException e) {
                if (attempt < MAX_ATTEMPTS && (dialect.isRetryable(e) || attempt == 1 && dialect.abortsTransaction(e))) {
                    continue;
                }
                throw new StoreException(e.getMessage(), e);
            }
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

    /**
     * A connection of the caller's own, outside the writer and the readers (in autocommit mode), for work that holds
     * one for long, such as listening for other nodes' notifications. The caller closes it.
     */
    public Connection dedicatedConnection() throws SQLException {
        Connection connection = open();
        connection.setAutoCommit(true);
        return connection;
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
        ensureWriter();
        List<Job<?>> succeeded = new ArrayList<>(batch.size());
        // A unit's failure may come from what an earlier unit of the group wrote (a duplicate of its new row): its
        // caller hears of it only once that row is committed, so that what it reads next agrees with the failure.
        List<Runnable> failedAlone = new ArrayList<>();
        java.util.ArrayDeque<Job<?>> pending = new java.util.ArrayDeque<>(batch);
        while (!pending.isEmpty()) {
            Job<?> job = pending.poll();
            Outcome outcome = runUnit(job);
            switch (outcome.kind) {
                case DONE -> succeeded.add(job);
                case FAILED_ALONE -> failedAlone.add(() -> job.fail(outcome.failure));
                case RETRY -> {
                    // A lock conflict with another node: commit what came before (which releases its locks, the
                    // ones the other side may be waiting for), then run this unit again in a fresh transaction.
                    retries++;
                    commit(succeeded);
                    tell(failedAlone);
                    pending.addFirst(job);
                }
                case TRANSACTION_LOST -> {
                    // the database undid the whole transaction, the units that went before this one with it
                    rollbackQuietly();
                    if (!succeeded.isEmpty()) {
                        StoreException failure = new StoreException(
                            "the transaction was rolled back, nothing of this write was kept: " + outcome.failure.getMessage(),
                            outcome.failure);
                        succeeded.forEach(earlier -> earlier.future.completeExceptionally(failure));
                        succeeded.clear();
                    }
                    ensureWriter();
                    tell(failedAlone);
                }
            }
        }
        commit(succeeded);
        tell(failedAlone);
    }

    private static void tell(List<Runnable> failures) {
        failures.forEach(Runnable::run);
        failures.clear();
    }

    /** Commits the units in {@code succeeded} durably and releases their callers; empties the list. */
    private void commit(List<Job<?>> succeeded) {
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
            ensureWriter();
        } finally {
            succeeded.clear();
        }
    }

    /** A writer connection that died (the database restarted, the network broke) is replaced before the next unit. */
    private void ensureWriter() {
        if (!isClosed(writer)) {
            return;
        }
        try {
            Connection fresh = openWriter();
            closeQuietly(writer);
            writer = fresh;
            LOGGER.warn("the store's writer connection was lost; reconnected");
        } catch (SQLException e) {
            LOGGER.error("cannot reconnect the store's writer: {}", e.getMessage());
        }
    }

    private enum Kind { DONE, FAILED_ALONE, RETRY, TRANSACTION_LOST }

    private record Outcome(Kind kind, Throwable failure) {
        static final Outcome DONE = new Outcome(Kind.DONE, null);
        static final Outcome RETRY = new Outcome(Kind.RETRY, null);
    }

    /**
     * Runs one unit under its own savepoint. A unit that failed alone has its savepoint undone, and the outcome
     * carries the failure for its caller; one that met a lock conflict another attempt may avoid is undone; when a
     * failure took the whole transaction down, its caller is told at once and the outcome carries it.
     */
    private Outcome runUnit(Job<?> job) {
        Savepoint savepoint = null;
        try {
            savepoint = writer.setSavepoint();
            job.runOn(writer);
            writer.releaseSavepoint(savepoint);
            return Outcome.DONE;
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
            if (!transactionLost && t instanceof SQLException sql && dialect.isRetryable(sql) && ++job.attempts < MAX_WRITE_ATTEMPTS) {
                return Outcome.RETRY;
            }
            if (transactionLost) {
                job.fail(t);
                return new Outcome(Kind.TRANSACTION_LOST, t);
            }
            return new Outcome(Kind.FAILED_ALONE, t);
        }
    }

    private void rollbackQuietly() {
        try {
            writer.rollback();
        } catch (SQLException e) {
            LOGGER.warn("rollback failed", e);
        }
    }

    /** Units run again after a lock conflict with another node (PostgreSQL's deadlocks and serialization failures). */
    public long retryCount() {
        return retries;
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
        closeConnections();
        source.close();
    }

    private void closeConnections() {
        for (Connection connection : allReaders) {
            closeQuietly(connection);
        }
        closeQuietly(writer);
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
        private int attempts;

        private Job(Work<T> work) {
            this.work = work;
        }

        void runOn(Connection connection) throws SQLException {
            result = work.run(connection);
        }

        void complete() {
            future.complete(result);
        }

        void fail(Throwable failure) {
            future.completeExceptionally(failure instanceof SQLException sql ? new StoreException(sql.getMessage(), sql) : failure);
        }
    }
}

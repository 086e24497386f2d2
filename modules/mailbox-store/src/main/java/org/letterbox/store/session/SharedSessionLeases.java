package org.letterbox.store.session;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.letterbox.store.jdbc.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases of nodes sharing one database: a row per session in {@code session_leases}, naming the node that holds it.
 * A lease is taken in one transaction that first locks the user's row, so two nodes taking the last slot at once are
 * served one after the other; only the leases of live nodes count. Leases are given back on a thread of their own (a
 * session often ends on a network thread), and those of nodes taken for dead are removed now and then.
 */
public final class SharedSessionLeases implements SessionLeases, AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(SharedSessionLeases.class);
    private static final Duration PRUNE_EVERY = Duration.ofSeconds(30);

    private final Database db;
    private final String node;
    private final Duration nodeTimeout;
    private final Clock clock;
    private final ScheduledExecutorService releaser = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "letterbox-session-leases");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param node this node's id, as in the {@code nodes} table
     * @param nodeTimeout how long a node may stay silent before it is taken for dead
     */
    public SharedSessionLeases(Database db, String node, Duration nodeTimeout, Clock clock) {
        this.db = db;
        this.node = node;
        this.nodeTimeout = nodeTimeout;
        this.clock = clock;
        releaser.scheduleWithFixedDelay(this::pruneDeadNodes, PRUNE_EVERY.toSeconds(), PRUNE_EVERY.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public Optional<Lease> take(Kind kind, String user, int limit) {
        Long id = db.write(c -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT username FROM users WHERE username = ? FOR UPDATE")) {
                lock.setString(1, user);
                lock.executeQuery().close();
            }
            try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM session_leases l JOIN nodes n"
                    + " ON n.node = l.node WHERE l.kind = ? AND l.username = ? AND n.last_seen >= ?")) {
                count.setString(1, kind.name());
                count.setString(2, user);
                count.setTimestamp(3, Timestamp.from(clock.instant().minus(nodeTimeout)));
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) >= limit) {
                        return null;
                    }
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO session_leases (kind, username, node, created)"
                    + " VALUES (?, ?, ?, ?)", new String[] {"id"})) {
                insert.setString(1, kind.name());
                insert.setString(2, user);
                insert.setString(3, node);
                insert.setTimestamp(4, Timestamp.from(clock.instant()));
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
        if (id == null) {
            return Optional.empty();
        }
        AtomicBoolean released = new AtomicBoolean();
        return Optional.of(() -> {
            if (released.compareAndSet(false, true)) {
                releaser.execute(() -> release(id));
            }
        });
    }

    private void release(long id) {
        // on failure the row stays until this node is taken for dead; it counts till then
        deleteLeases("id = ?", id, "cannot give back session lease " + id);
    }

    private void pruneDeadNodes() {
        deleteLeases("node NOT IN (SELECT node FROM nodes WHERE last_seen >= ?)",
            Timestamp.from(clock.instant().minus(nodeTimeout)), "cannot remove the session leases of dead nodes");
    }

    /** Deletes the leases {@code condition} (with its one parameter) picks; a failure is logged, not thrown. */
    private void deleteLeases(String condition, Object parameter, String failure) {
        try {
            db.write(c -> {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM session_leases WHERE " + condition)) {
                    delete.setObject(1, parameter);
                    return delete.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            LOGGER.warn("{}: {}", failure, e.getMessage());
        }
    }

    /** Gives back what is pending, then every lease this node still holds (its sessions end with it). */
    @Override
    public void close() {
        releaser.shutdown();
        try {
            releaser.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteLeases("node = ?", node, "cannot give back this node's session leases");
    }
}

package org.letterbox.store.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.apache.james.events.Event;
import org.apache.james.events.EventSerializer;
import org.apache.james.events.RegistrationKey;
import org.apache.james.mailbox.events.MailboxIdRegistrationKey;
import org.apache.james.mailbox.model.MailboxId;
import org.letterbox.store.jdbc.Database;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's link to the others on the same PostgreSQL database.
 *
 * <ul>
 *   <li>It registers the node in {@code nodes} and keeps its {@code last_seen} fresh, so that every node can list
 *       the live ones.</li>
 *   <li>What happens here that the others must hear of (a mailbox event; users, domains or aliases changed; a
 *       user's password changed) is written to {@code store_events} in batches, each with a {@code NOTIFY}.</li>
 *   <li>A connection of its own {@code LISTEN}s, and reads the others' new rows when notified (and at least every
 *       second, should a notification be lost), in the order they were written.</li>
 * </ul>
 *
 * A row's id is taken when it is written but becomes visible when its transaction commits, so ids can appear out of
 * order: ids skipped over are remembered for {@link #HOLE_PATIENCE} and taken when they show up.
 */
public final class NodeLink implements AutoCloseable {

    /** What kinds of news travel between nodes. */
    enum Kind { MAILBOX, DIRECTORY, CREDENTIALS, MAILBOX_ROWS, QUOTA_LIMITS }

    /** What this node does with news from another. */
    public interface Receiver {
        void mailboxEvent(Event event, Set<RegistrationKey> keys);

        void directoryChanged();

        void credentialsChanged(String user);

        /** A mailbox row (path, UIDVALIDITY, ACL) was changed: cached rows are stale. */
        void mailboxRowsChanged();

        /** A quota limit was changed: cached limits are stale. */
        void quotaLimitsChanged();
    }

    /** A node and when it was last heard of. */
    public record Node(String id, String hostname, Instant started, Instant lastSeen) {
    }

    private static final Logger LOGGER = LoggerFactory.getLogger(NodeLink.class);
    private static final String CHANNEL = "letterbox_events";
    static final Duration HOLE_PATIENCE = Duration.ofSeconds(10);
    /** A node that has not refreshed its row for this long is taken for dead. */
    public static final Duration NODE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final Duration EVENT_RETENTION = Duration.ofMinutes(10);

    private record News(Kind kind, String payload) {
    }

    private final Database db;
    private final EventSerializer serializer;
    private final MailboxId.Factory mailboxIds;
    private final Receiver receiver;
    private final Clock clock;
    private final String nodeId;
    private final String hostname;
    private final LinkedBlockingQueue<News> outgoing = new LinkedBlockingQueue<>();
    private final Thread publisher;
    private final Thread listener;
    private volatile boolean closed;
    private long maxSeen;
    private final Map<Long, Instant> holes = new HashMap<>();
    private Instant lastHeartbeat = Instant.EPOCH;

    private NodeLink(Database db, EventSerializer serializer, MailboxId.Factory mailboxIds, Receiver receiver,
                     String hostname, Clock clock) {
        this.db = db;
        this.serializer = serializer;
        this.mailboxIds = mailboxIds;
        this.receiver = receiver;
        this.clock = clock;
        this.hostname = hostname;
        this.nodeId = hostname + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
        this.publisher = new Thread(this::publishLoop, "letterbox-node-publisher");
        this.listener = new Thread(this::listenLoop, "letterbox-node-listener");
        publisher.setDaemon(true);
        listener.setDaemon(true);
    }

    /** Registers this node and starts hearing the others (from what they write after now). */
    public static NodeLink start(Database db, EventSerializer serializer, MailboxId.Factory mailboxIds, Receiver receiver,
                                 String hostname, Clock clock) {
        NodeLink link = new NodeLink(db, serializer, mailboxIds, receiver, hostname, clock);
        link.register();
        link.publisher.start();
        link.listener.start();
        return link;
    }

    public String nodeId() {
        return nodeId;
    }

    /** Tells the other nodes of a mailbox event raised here. */
    public void mailboxEvent(Event event, Set<RegistrationKey> keys) {
        StringBuilder payload = new StringBuilder();
        for (RegistrationKey key : keys) {
            // only mailbox keys mean the same on every node
            if (key instanceof MailboxIdRegistrationKey mailboxKey) {
                payload.append(payload.isEmpty() ? "" : " ").append(mailboxKey.getMailboxId().serialize());
            }
        }
        try {
            outgoing.add(new News(Kind.MAILBOX, payload.append('\n').append(serializer.toJson(event)).toString()));
        } catch (RuntimeException e) {
            LOGGER.warn("cannot pass a {} on to the other nodes: {}", event.getClass().getSimpleName(), e.getMessage());
        }
    }

    /** Tells the other nodes that users, domains or aliases changed. */
    public void directoryChanged() {
        outgoing.add(new News(Kind.DIRECTORY, ""));
    }

    /** Tells the other nodes that a mailbox was created, renamed or deleted, or its ACL changed. */
    public void mailboxRowsChanged() {
        outgoing.add(new News(Kind.MAILBOX_ROWS, ""));
    }

    /** Tells the other nodes that a quota limit changed. */
    public void quotaLimitsChanged() {
        outgoing.add(new News(Kind.QUOTA_LIMITS, ""));
    }

    /** Tells the other nodes that {@code user}'s password changed or the user was removed. */
    public void credentialsChanged(String user) {
        outgoing.add(new News(Kind.CREDENTIALS, user));
    }

    /** The nodes heard of within {@link #NODE_TIMEOUT}, this one included. */
    public List<Node> liveNodes() {
        return liveNodes(db, clock);
    }

    /** The nodes of the database behind {@code db} heard of within {@link #NODE_TIMEOUT}. */
    public static List<Node> liveNodes(Database db, Clock clock) {
        return db.read(c -> {
            List<Node> nodes = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT node, hostname, started, last_seen FROM nodes WHERE last_seen >= ? ORDER BY started")) {
                select.setTimestamp(1, Timestamp.from(clock.instant().minus(NODE_TIMEOUT)));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        nodes.add(new Node(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            rs.getTimestamp(4).toInstant()));
                    }
                }
            }
            return nodes;
        });
    }

    private void register() {
        Instant now = clock.instant();
        db.write(c -> {
            insertNodeRow(c, now);
            try (Statement statement = c.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT MAX(id) FROM store_events")) {
                rs.next();
                maxSeen = rs.getLong(1);
            }
            return null;
        });
        lastHeartbeat = now;
    }

    private void insertNodeRow(Connection c, Instant now) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO nodes (node, hostname, started, last_seen) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, nodeId);
            insert.setString(2, hostname);
            insert.setTimestamp(3, Timestamp.from(now));
            insert.setTimestamp(4, Timestamp.from(now));
            insert.executeUpdate();
        }
    }

    private void publishLoop() {
        List<News> batch = new ArrayList<>();
        while (!closed || !outgoing.isEmpty()) {
            try {
                News first = outgoing.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                outgoing.drainTo(batch, 500);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOGGER.warn("cannot tell the other nodes of {} change(s): {}", batch.size(), e.getMessage());
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<News> batch) {
        Timestamp now = Timestamp.from(clock.instant());
        db.write(c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO store_events (node, kind, payload, created) VALUES (?, ?, ?, ?)")) {
                for (News news : batch) {
                    insert.setString(1, nodeId);
                    insert.setString(2, news.kind().name());
                    insert.setString(3, news.payload());
                    insert.setTimestamp(4, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (Statement notify = c.createStatement()) {
                notify.execute("NOTIFY " + CHANNEL);
            }
            return null;
        });
    }

    private void listenLoop() {
        Connection connection = null;
        while (!closed) {
            try {
                if (connection == null || connection.isClosed()) {
                    connection = db.dedicatedConnection();
                    try (Statement listen = connection.createStatement()) {
                        listen.execute("LISTEN " + CHANNEL);
                    }
                }
                PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(1000);
                if (closed) {
                    break;
                }
                readNews(connection, notifications != null && notifications.length > 0);
                upkeep();
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                LOGGER.warn("store events from other nodes: {}; reconnecting", e.getMessage());
                close(connection);
                connection = null;
                sleep(1000);
            }
        }
        close(connection);
    }

    private void readNews(Connection c, boolean notified) throws SQLException {
        long from = maxSeen;
        Instant now = clock.instant();
        holes.values().removeIf(since -> since.plus(HOLE_PATIENCE).isBefore(now));
        for (long hole : holes.keySet()) {
            from = Math.min(from, hole - 1);
        }
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, node, kind, payload FROM store_events WHERE id > ? ORDER BY id")) {
            select.setLong(1, from);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    boolean fresh = id > maxSeen;
                    if (!fresh && holes.remove(id) == null) {
                        continue;
                    }
                    if (fresh) {
                        for (long skipped = maxSeen + 1; skipped < id; skipped++) {
                            holes.put(skipped, now);
                        }
                        maxSeen = id;
                    }
                    if (!nodeId.equals(rs.getString(2))) {
                        apply(Kind.valueOf(rs.getString(3)), rs.getString(4));
                    }
                }
            }
        }
    }

    private void apply(Kind kind, String payload) {
        try {
            switch (kind) {
                case MAILBOX -> {
                    int newline = payload.indexOf('\n');
                    Set<RegistrationKey> keys = new LinkedHashSet<>();
                    for (String id : payload.substring(0, newline).split(" ")) {
                        if (!id.isEmpty()) {
                            keys.add(new MailboxIdRegistrationKey(mailboxIds.fromString(id)));
                        }
                    }
                    receiver.mailboxEvent(serializer.asEvent(payload.substring(newline + 1)), keys);
                }
                case DIRECTORY -> receiver.directoryChanged();
                case CREDENTIALS -> receiver.credentialsChanged(payload);
                case MAILBOX_ROWS -> receiver.mailboxRowsChanged();
                case QUOTA_LIMITS -> receiver.quotaLimitsChanged();
            }
        } catch (RuntimeException e) {
            LOGGER.warn("cannot apply a {} event from another node: {}", kind, e.getMessage());
        }
    }

    private void upkeep() {
        Instant now = clock.instant();
        if (now.isBefore(lastHeartbeat.plus(HEARTBEAT))) {
            return;
        }
        lastHeartbeat = now;
        db.write(c -> {
            try (PreparedStatement beat = c.prepareStatement("UPDATE nodes SET last_seen = ? WHERE node = ?")) {
                beat.setTimestamp(1, Timestamp.from(now));
                beat.setString(2, nodeId);
                if (beat.executeUpdate() == 0) {
                    // removed while we were away (taken for dead): register again
                    insertNodeRow(c, now);
                }
            }
            try (PreparedStatement prune = c.prepareStatement("DELETE FROM store_events WHERE created < ?")) {
                prune.setTimestamp(1, Timestamp.from(now.minus(EVENT_RETENTION)));
                prune.executeUpdate();
            }
            try (PreparedStatement prune = c.prepareStatement("DELETE FROM nodes WHERE last_seen < ?")) {
                prune.setTimestamp(1, Timestamp.from(now.minus(Duration.ofDays(1))));
                prune.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void close() {
        closed = true;
        try {
            publisher.join(5_000);
            listener.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            db.write(c -> {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM nodes WHERE node = ?")) {
                    delete.setString(1, nodeId);
                    return delete.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            LOGGER.debug("cannot unregister node {}: {}", nodeId, e.getMessage());
        }
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // gone already
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.letterbox.store.queue;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.letterbox.store.jdbc.Database;
import org.letterbox.store.mailbox.StoreSchema;

/**
 * The outbound queue's public side: one entry per remote recipient of a stored message, until that recipient has a
 * final result. List and show it, claim what is due, record an attempt, hold, release, retry or drop an entry, read
 * a queued message's bytes, and settle entries inside another write unit (a bounce delivered together with the
 * removal of what it reports).
 *
 * <p>A claim marks an entry as being delivered until a lease runs out: no other claim returns it meanwhile, and an
 * entry whose deliverer died is due again once the lease has run out (or at once, after {@link #releaseClaims()} at
 * start-up, when this process was the only deliverer).
 */
public final class OutboundQueue {

    /**
     * The DSN parameters of a submission (RFC 3461), kept as given (xtext where the RFC says so).
     *
     * @param notifyOn NOTIFY of the recipient: {@code NEVER} or some of {@code SUCCESS,FAILURE,DELAY}
     * @param originalRecipient ORCPT of the recipient
     * @param envelopeId ENVID of the message
     * @param returnContent RET of the message: {@code FULL} or {@code HDRS}
     */
    public record DsnRequest(Optional<String> notifyOn, Optional<String> originalRecipient, Optional<String> envelopeId,
                             Optional<String> returnContent) {
        public static final DsnRequest NONE = new DsnRequest(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());
    }

    /** One remote recipient to queue, with its DSN parameters. */
    public record Recipient(String address, DsnRequest dsn) {
        public static Recipient of(String address) {
            return new Recipient(address, DsnRequest.NONE);
        }
    }

    /**
     * One remote recipient of one stored message.
     *
     * @param lastError empty until an attempt failed
     * @param held true when held by hand: never claimed until released
     * @param delayNotified true once the sender was told the message is late
     * @param lastAttempt when the last attempt ended, empty before the first
     * @param size the message's size in bytes
     */
    public record Entry(long id, String sender, String recipient, String messageId, Instant created, int attempts,
                        Instant nextAttempt, Optional<String> lastError, boolean held, boolean delayNotified,
                        Optional<Instant> lastAttempt, DsnRequest dsn, long size) {

        /** The recipient's domain, lower case. */
        public String domain() {
            return recipient.substring(recipient.lastIndexOf('@') + 1).toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Changes to queue entries made inside another write unit, so that they commit with it or not at all.
     *
     * @param drop entries that have their final result (their bytes go too when nothing else refers to them)
     * @param delayNotified entries whose sender was just told the message is late
     */
    public record Settlement(List<Long> drop, List<Long> delayNotified) {
        public static final Settlement NONE = new Settlement(List.of(), List.of());

        public Settlement {
            drop = List.copyOf(drop);
            delayNotified = List.copyOf(delayNotified);
        }
    }

    private static final String COLUMNS = "q.id, q.sender, q.recipient, q.message_id, q.created, q.attempts, q.next_attempt,"
        + " q.last_error, q.held, q.delay_notified, q.last_attempt, q.dsn_notify, q.dsn_orcpt, q.dsn_envid, q.dsn_ret, c.size";
    private static final String FROM = " FROM outbound_queue q JOIN message_content c ON c.message_id = q.message_id";
    private static final int MAX_ERROR_LENGTH = 2000;

    private final Database db;
    private final boolean shared;
    private final Clock clock;
    private final List<Runnable> enqueueListeners = new CopyOnWriteArrayList<>();

    public OutboundQueue(Database db, Clock clock) {
        this(db, clock, false);
    }

    /** @param shared true when other nodes deliver from the same queue (a shared PostgreSQL store) */
    public OutboundQueue(Database db, Clock clock, boolean shared) {
        this.shared = shared;
        this.db = db;
        this.clock = clock;
    }

    /**
     * Queues {@code messageId}, already stored in this unit, for each remote recipient, due at once. A step of the
     * caller's write unit on {@code c}: the entries commit with the delivery or not at all.
     */
    public static void enqueue(Connection c, String sender, Collection<Recipient> recipients, String messageId, Instant now)
            throws SQLException {
        if (recipients.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO outbound_queue (sender, recipient, message_id,"
                + " created, attempts, next_attempt, dsn_notify, dsn_orcpt, dsn_envid, dsn_ret)"
                + " VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?)")) {
            Timestamp at = Timestamp.from(now);
            for (Recipient recipient : recipients) {
                insert.setString(1, sender);
                insert.setString(2, recipient.address());
                insert.setString(3, messageId);
                insert.setTimestamp(4, at);
                insert.setTimestamp(5, at);
                insert.setString(6, recipient.dsn().notifyOn().orElse(null));
                insert.setString(7, recipient.dsn().originalRecipient().orElse(null));
                insert.setString(8, recipient.dsn().envelopeId().orElse(null));
                insert.setString(9, recipient.dsn().returnContent().orElse(null));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Applies {@code settlement} as a step of the caller's write unit on {@code c}. */
    public static void settle(Connection c, Settlement settlement) throws SQLException {
        if (!settlement.delayNotified().isEmpty()) {
            try (PreparedStatement update = c.prepareStatement("UPDATE outbound_queue SET delay_notified = 1 WHERE id = ?")) {
                for (long id : settlement.delayNotified()) {
                    update.setLong(1, id);
                    update.addBatch();
                }
                update.executeBatch();
            }
        }
        if (!settlement.drop().isEmpty()) {
            List<String> messages = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT message_id FROM outbound_queue WHERE id = ?");
                 PreparedStatement delete = c.prepareStatement("DELETE FROM outbound_queue WHERE id = ?")) {
                for (long id : settlement.drop()) {
                    select.setLong(1, id);
                    try (ResultSet rs = select.executeQuery()) {
                        if (rs.next() && !messages.contains(rs.getString(1))) {
                            messages.add(rs.getString(1));
                        }
                    }
                    delete.setLong(1, id);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            StoreSchema.deleteUnreferencedContent(c, messages);
        }
    }

    /** Applies {@code settlement} in a write unit of its own. */
    public void settle(Settlement settlement) {
        db.write(c -> {
            settle(c, settlement);
            return null;
        });
    }

    /** Runs {@code listener} after every committed write unit that queued something (to start delivery at once). */
    public void onEnqueued(Runnable listener) {
        enqueueListeners.add(listener);
    }

    /** Tells the listeners that entries were queued (or made due) and committed. */
    public void enqueued() {
        enqueueListeners.forEach(Runnable::run);
    }

    /** Every entry, oldest first. */
    public List<Entry> list() {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + FROM + " ORDER BY q.id")) {
                return entries(select);
            }
        });
    }

    /** One entry. */
    public Optional<Entry> find(long id) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + FROM + " WHERE q.id = ?")) {
                select.setLong(1, id);
                return entries(select).stream().findFirst();
            }
        });
    }

    /** Number of entries. */
    public long size() {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM outbound_queue");
                 ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** When the next entry not held and not claimed falls due; empty when there is none. */
    public Optional<Instant> nextDue() {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT MIN(CASE WHEN claimed_until IS NOT NULL"
                    + " AND claimed_until > next_attempt THEN claimed_until ELSE next_attempt END)"
                    + " FROM outbound_queue WHERE held = 0");
                 ResultSet rs = select.executeQuery()) {
                rs.next();
                Timestamp at = rs.getTimestamp(1);
                return Optional.ofNullable(at).map(Timestamp::toInstant);
            }
        });
    }

    /**
     * Takes up to {@code max} entries that are due at {@code now}, not held and not claimed, oldest due first, and
     * claims them for {@code lease}. The caller records each one's attempt ({@link #reschedule}) or final result
     * ({@link #drop}, {@link #settle}) when it is over.
     */
    public List<Entry> claimDue(Instant now, int max, Duration lease) {
        Instant until = now.plus(lease);
        return db.write(c -> {
            List<Entry> due;
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + FROM
                    + " WHERE q.held = 0 AND q.next_attempt <= ? AND (q.claimed_until IS NULL OR q.claimed_until <= ?)"
                    + " ORDER BY q.next_attempt, q.id FETCH FIRST " + Math.max(1, max) + " ROWS ONLY")) {
                select.setTimestamp(1, Timestamp.from(now));
                select.setTimestamp(2, Timestamp.from(now));
                due = entries(select);
            }
            // Another node may have selected the same entries: the claim is ours only where the row was still
            // unclaimed when our update got it (PostgreSQL re-reads a row another transaction changed meanwhile).
            List<Entry> claimed = new java.util.ArrayList<>(due.size());
            try (PreparedStatement update = c.prepareStatement("UPDATE outbound_queue SET claimed_until = ? WHERE id = ?"
                    + " AND (claimed_until IS NULL OR claimed_until <= ?)")) {
                for (Entry entry : due) {
                    update.setTimestamp(1, Timestamp.from(until));
                    update.setLong(2, entry.id());
                    update.setTimestamp(3, Timestamp.from(now));
                    if (update.executeUpdate() == 1) {
                        claimed.add(entry);
                    }
                }
            }
            return claimed;
        });
    }

    /**
     * Ends every claim: at start-up, when this process was the only deliverer and the claims died with it. On a
     * database that several nodes share, the others' claims are alive: then nothing is released, and a dead node's
     * claims are taken over when their lease runs out.
     */
    public int releaseClaims() {
        if (shared) {
            return 0;
        }
        return db.write(c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE outbound_queue SET claimed_until = NULL WHERE claimed_until IS NOT NULL")) {
                return update.executeUpdate();
            }
        });
    }

    /**
     * Records a failed attempt that ended at {@code attemptedAt}: one more attempt, the error (cut to 2,000
     * characters), the claim ended, and when to try again.
     *
     * @return false when the entry is gone
     */
    public boolean reschedule(long id, Instant nextAttempt, String error, Instant attemptedAt) {
        String text = error == null ? null : error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error;
        return db.write(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE outbound_queue SET attempts = attempts + 1,"
                    + " next_attempt = ?, last_error = ?, last_attempt = ?, claimed_until = NULL WHERE id = ?")) {
                update.setTimestamp(1, Timestamp.from(nextAttempt));
                update.setString(2, text);
                update.setTimestamp(3, Timestamp.from(attemptedAt));
                update.setLong(4, id);
                return update.executeUpdate() == 1;
            }
        });
    }

    /** {@link #reschedule(long, Instant, String, Instant)} with the attempt ending now. */
    public boolean reschedule(long id, Instant nextAttempt, String error) {
        return reschedule(id, nextAttempt, error, clock.instant());
    }

    /** Makes an entry (or, with no id, every entry) due now; held ones stay held. The number changed. */
    public int retryNow(Optional<Long> id) {
        int changed = update("UPDATE outbound_queue SET next_attempt = ?", id, Timestamp.from(clock.instant()));
        enqueued();
        return changed;
    }

    /** Holds an entry (or every entry): it is not tried until released. The number changed. */
    public int hold(Optional<Long> id) {
        return update("UPDATE outbound_queue SET held = 1", id, null);
    }

    /** Releases a held entry (or every entry), due now. The number changed. */
    public int release(Optional<Long> id) {
        int changed = update("UPDATE outbound_queue SET held = 0, next_attempt = ?", id, Timestamp.from(clock.instant()));
        enqueued();
        return changed;
    }

    private int update(String sql, Optional<Long> id, Timestamp at) {
        return db.write(c -> {
            try (PreparedStatement update = c.prepareStatement(sql + (id.isPresent() ? " WHERE id = ?" : ""))) {
                int index = 1;
                if (at != null) {
                    update.setTimestamp(index++, at);
                }
                if (id.isPresent()) {
                    update.setLong(index, id.get());
                }
                return update.executeUpdate();
            }
        });
    }

    /**
     * Removes an entry (sent, bounced, or dropped by hand); the message's bytes go with it when nothing else refers
     * to them.
     *
     * @return false when the entry was already gone
     */
    public boolean drop(long id) {
        return db.write(c -> {
            boolean present;
            try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM outbound_queue WHERE id = ?")) {
                select.setLong(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    present = rs.next();
                }
            }
            if (present) {
                settle(c, new Settlement(List.of(id), List.of()));
            }
            return present;
        });
    }

    /** The queued message's bytes, as received; empty when the entry is gone. The caller closes the stream. */
    public Optional<InputStream> content(Entry entry) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM outbound_queue WHERE id = ?")) {
                select.setLong(1, entry.id());
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<InputStream>empty();
                    }
                }
            }
            return Optional.of(StoreSchema.openContent(c, entry.messageId(), db.spool()));
        });
    }

    private static List<Entry> entries(PreparedStatement select) throws SQLException {
        List<Entry> result = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                Timestamp lastAttempt = rs.getTimestamp(11);
                DsnRequest dsn = new DsnRequest(Optional.ofNullable(rs.getString(12)), Optional.ofNullable(rs.getString(13)),
                    Optional.ofNullable(rs.getString(14)), Optional.ofNullable(rs.getString(15)));
                result.add(new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getTimestamp(5).toInstant(), rs.getInt(6), rs.getTimestamp(7).toInstant(),
                    Optional.ofNullable(rs.getString(8)), rs.getInt(9) != 0, rs.getInt(10) != 0,
                    Optional.ofNullable(lastAttempt).map(Timestamp::toInstant), dsn, rs.getLong(16)));
            }
        }
        return result;
    }
}

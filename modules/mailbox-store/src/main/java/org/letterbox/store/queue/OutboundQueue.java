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

import org.letterbox.store.jdbc.Database;
import org.letterbox.store.mailbox.StoreSchema;

/**
 * The outbound queue's public side: list it, claim what is due, reschedule or drop an entry, read a queued
 * message's bytes. A claim moves the entry's next attempt past a lease, so an entry whose sender died is due
 * again once the lease runs out, and two claims never return one entry while its lease holds.
 */
public final class OutboundQueue {

    /** One remote recipient of one stored message. {@code lastError} is empty until an attempt failed. */
    public record Entry(long id, String sender, String recipient, String messageId, Instant created, int attempts,
                        Instant nextAttempt, Optional<String> lastError) {
    }

    private static final String COLUMNS = "id, sender, recipient, message_id, created, attempts, next_attempt, last_error";
    private static final int MAX_ERROR_LENGTH = 2000;

    private final Database db;
    private final Clock clock;

    public OutboundQueue(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Queues {@code messageId}, already stored in this unit, for each remote recipient, due at once. A step of the
     * caller's write unit on {@code c}: the entries commit with the delivery or not at all.
     */
    public static void enqueue(Connection c, String sender, Collection<String> recipients, String messageId, Instant now)
            throws SQLException {
        if (recipients.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO outbound_queue"
                + " (sender, recipient, message_id, created, attempts, next_attempt) VALUES (?, ?, ?, ?, 0, ?)")) {
            Timestamp at = Timestamp.from(now);
            for (String recipient : recipients) {
                insert.setString(1, sender);
                insert.setString(2, recipient);
                insert.setString(3, messageId);
                insert.setTimestamp(4, at);
                insert.setTimestamp(5, at);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Every entry, oldest first. */
    public List<Entry> list() {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM outbound_queue ORDER BY id")) {
                return entries(select);
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

    /**
     * Takes up to {@code max} entries that are due now, oldest due first, and holds them for {@code lease}: until
     * then no other claim returns them. The caller reschedules or drops each one when its attempt is over.
     */
    public List<Entry> claimDue(int max, Duration lease) {
        Instant now = clock.instant();
        Instant until = now.plus(lease);
        return db.write(c -> {
            List<Entry> due;
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM outbound_queue"
                    + " WHERE next_attempt <= ? ORDER BY next_attempt, id FETCH FIRST " + Math.max(1, max) + " ROWS ONLY")) {
                select.setTimestamp(1, Timestamp.from(now));
                due = entries(select);
            }
            List<Entry> claimed = new ArrayList<>(due.size());
            try (PreparedStatement update = c.prepareStatement("UPDATE outbound_queue SET next_attempt = ? WHERE id = ?")) {
                for (Entry entry : due) {
                    update.setTimestamp(1, Timestamp.from(until));
                    update.setLong(2, entry.id());
                    update.addBatch();
                    claimed.add(new Entry(entry.id(), entry.sender(), entry.recipient(), entry.messageId(), entry.created(),
                        entry.attempts(), until, entry.lastError()));
                }
                update.executeBatch();
            }
            return claimed;
        });
    }

    /**
     * Records a failed attempt: one more attempt, the error (cut to 2,000 characters), and when to try again.
     *
     * @return false when the entry is gone
     */
    public boolean reschedule(long id, Instant nextAttempt, String error) {
        String text = error == null ? null : error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error;
        return db.write(c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE outbound_queue SET attempts = attempts + 1, next_attempt = ?, last_error = ? WHERE id = ?")) {
                update.setTimestamp(1, Timestamp.from(nextAttempt));
                update.setString(2, text);
                update.setLong(3, id);
                return update.executeUpdate() == 1;
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
            String messageId;
            try (PreparedStatement select = c.prepareStatement("SELECT message_id FROM outbound_queue WHERE id = ?")) {
                select.setLong(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    messageId = rs.getString(1);
                }
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM outbound_queue WHERE id = ?")) {
                delete.setLong(1, id);
                delete.executeUpdate();
            }
            StoreSchema.deleteUnreferencedContent(c, List.of(messageId));
            return true;
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
                result.add(new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getTimestamp(5).toInstant(), rs.getInt(6), rs.getTimestamp(7).toInstant(),
                    Optional.ofNullable(rs.getString(8))));
            }
        }
        return result;
    }
}

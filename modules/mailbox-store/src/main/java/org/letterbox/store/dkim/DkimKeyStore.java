package org.letterbox.store.dkim;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import org.letterbox.store.jdbc.Database;

/**
 * The DKIM keys of each domain. A key is {@code PENDING} (its record may be published; nothing is signed with it
 * yet), {@code ACTIVE} (outgoing mail is signed with it) or {@code RETIRED} (no longer signing; its record should stay
 * published for a while, for mail already sent). Listeners hear of every change, so that a signing cache is emptied.
 */
public final class DkimKeyStore {

    public enum State {
        PENDING, ACTIVE, RETIRED
    }

    /**
     * One stored key.
     *
     * @param algorithm the DKIM {@code a=} value, {@code rsa-sha256} or {@code ed25519-sha256}
     * @param privateKey PKCS#8
     * @param publicKey the DNS record's {@code p=} data, base64
     * @param changed when its state last changed
     */
    public record StoredKey(String domain, String selector, String algorithm, byte[] privateKey, String publicKey,
                            Instant created, State state, Instant changed) {
    }

    private final Database db;
    private final Clock clock;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public DkimKeyStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Runs {@code listener} after every committed change. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Stores new keys of one domain, all in one unit. */
    public void add(List<StoredKey> keys) {
        db.write(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO dkim_keys (domain, selector, algorithm,"
                    + " private_key, public_key, created, state, changed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (StoredKey key : keys) {
                    insert.setString(1, key.domain().toLowerCase(Locale.ROOT));
                    insert.setString(2, key.selector());
                    insert.setString(3, key.algorithm());
                    insert.setBytes(4, key.privateKey());
                    insert.setString(5, key.publicKey());
                    insert.setTimestamp(6, Timestamp.from(key.created()));
                    insert.setString(7, key.state().name());
                    insert.setTimestamp(8, Timestamp.from(key.changed()));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
        changed();
    }

    /** The keys of {@code domain}, oldest first. */
    public List<StoredKey> keys(String domain) {
        return query("SELECT domain, selector, algorithm, private_key, public_key, created, state, changed FROM dkim_keys"
            + " WHERE domain = ? ORDER BY created, selector", domain.toLowerCase(Locale.ROOT));
    }

    /** Every key, by domain then age. */
    public List<StoredKey> all() {
        return query("SELECT domain, selector, algorithm, private_key, public_key, created, state, changed FROM dkim_keys"
            + " ORDER BY domain, created, selector", null);
    }

    /**
     * Makes the pending keys of {@code domain} the active ones and retires those that were active, in one unit.
     *
     * @return how many keys became active
     */
    public int activatePending(String domain) {
        String name = domain.toLowerCase(Locale.ROOT);
        int activated = db.write(c -> {
            Timestamp now = Timestamp.from(clock.instant());
            int pending;
            try (PreparedStatement count = c.prepareStatement(
                    "SELECT COUNT(*) FROM dkim_keys WHERE domain = ? AND state = 'PENDING'")) {
                count.setString(1, name);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    pending = rs.getInt(1);
                }
            }
            if (pending == 0) {
                return 0;
            }
            try (PreparedStatement retire = c.prepareStatement(
                    "UPDATE dkim_keys SET state = 'RETIRED', changed = ? WHERE domain = ? AND state = 'ACTIVE'");
                 PreparedStatement activate = c.prepareStatement(
                     "UPDATE dkim_keys SET state = 'ACTIVE', changed = ? WHERE domain = ? AND state = 'PENDING'")) {
                retire.setTimestamp(1, now);
                retire.setString(2, name);
                retire.executeUpdate();
                activate.setTimestamp(1, now);
                activate.setString(2, name);
                return activate.executeUpdate();
            }
        });
        changed();
        return activated;
    }

    /** Removes the keys of {@code domain} retired before {@code before}; how many. */
    public int removeRetired(String domain, Instant before) {
        int removed = db.write(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM dkim_keys WHERE domain = ? AND state = 'RETIRED' AND changed < ?")) {
                delete.setString(1, domain.toLowerCase(Locale.ROOT));
                delete.setTimestamp(2, Timestamp.from(before));
                return delete.executeUpdate();
            }
        });
        changed();
        return removed;
    }

    /** Removes every key of {@code domain} (the domain is gone). */
    public void removeAll(String domain) {
        db.write(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM dkim_keys WHERE domain = ?")) {
                delete.setString(1, domain.toLowerCase(Locale.ROOT));
                return delete.executeUpdate();
            }
        });
        changed();
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    private List<StoredKey> query(String sql, String domain) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement(sql)) {
                if (domain != null) {
                    select.setString(1, domain);
                }
                List<StoredKey> keys = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        keys.add(new StoredKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4),
                            rs.getString(5), rs.getTimestamp(6).toInstant(), State.valueOf(rs.getString(7)),
                            rs.getTimestamp(8).toInstant()));
                    }
                }
                return keys;
            }
        });
    }

}

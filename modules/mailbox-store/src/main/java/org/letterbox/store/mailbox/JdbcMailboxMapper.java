package org.letterbox.store.mailbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.james.core.Username;
import org.apache.james.mailbox.acl.ACLDiff;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.MailboxExistsException;
import org.apache.james.mailbox.exception.MailboxNotFoundException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxACL;
import org.apache.james.mailbox.model.MailboxACL.Right;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.UidValidity;
import org.apache.james.mailbox.model.search.MailboxQuery;
import org.apache.james.mailbox.store.mail.MailboxMapper;
import org.letterbox.store.jdbc.Database;
import org.letterbox.store.jdbc.StoreException;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Mailboxes and their ACLs, in the {@code mailboxes} and {@code mailbox_acl} tables. */
public final class JdbcMailboxMapper implements MailboxMapper {

    private static final String COLUMNS = "id, namespace, username, name, uid_validity";

    private final Database db;

    public JdbcMailboxMapper(Database db) {
        this.db = db;
    }

    @Override
    public Mono<Mailbox> create(MailboxPath path, UidValidity uidValidity) {
        return Mono.fromCallable(() -> {
            try {
                long id = db.write(c -> {
                    try (PreparedStatement insert = c.prepareStatement(
                            "INSERT INTO mailboxes (namespace, username, name, uid_validity, last_uid, highest_modseq)"
                                + " VALUES (?, ?, ?, ?, 0, 0)", Statement.RETURN_GENERATED_KEYS)) {
                        insert.setString(1, path.getNamespace());
                        insert.setString(2, userColumn(path.getUser()));
                        insert.setString(3, path.getName());
                        insert.setLong(4, uidValidity.asLong());
                        insert.executeUpdate();
                        try (ResultSet keys = insert.getGeneratedKeys()) {
                            keys.next();
                            return keys.getLong(1);
                        }
                    }
                });
                return new Mailbox(path, uidValidity, StoreMailboxId.of(id));
            } catch (StoreException e) {
                if (isDuplicate(e)) {
                    throw new MailboxExistsException(path.asString());
                }
                throw e;
            }
        });
    }

    @Override
    public Mono<MailboxId> rename(Mailbox mailbox) {
        return Mono.fromCallable(() -> changing(() -> renameNow(mailbox)));
    }

    private MailboxId renameNow(Mailbox mailbox) throws MailboxException {
        {
            long id = ((StoreMailboxId) mailbox.getMailboxId()).value();
            int updated;
            try {
                updated = db.write(c -> {
                    try (PreparedStatement exists = c.prepareStatement(
                            "SELECT id FROM mailboxes WHERE namespace = ? AND username = ? AND name = ?")) {
                        exists.setString(1, mailbox.getNamespace());
                        exists.setString(2, userColumn(mailbox.getUser()));
                        exists.setString(3, mailbox.getName());
                        try (ResultSet rs = exists.executeQuery()) {
                            if (rs.next()) {
                                return -1;
                            }
                        }
                    }
                    try (PreparedStatement update = c.prepareStatement(
                            "UPDATE mailboxes SET namespace = ?, username = ?, name = ? WHERE id = ?")) {
                        update.setString(1, mailbox.getNamespace());
                        update.setString(2, userColumn(mailbox.getUser()));
                        update.setString(3, mailbox.getName());
                        update.setLong(4, id);
                        return update.executeUpdate();
                    }
                });
            } catch (StoreException e) {
                if (isDuplicate(e)) {
                    throw new MailboxExistsException(mailbox.getName());
                }
                throw e;
            }
            if (updated < 0) {
                throw new MailboxExistsException(mailbox.getName());
            }
            if (updated == 0) {
                throw new MailboxNotFoundException(mailbox.getMailboxId());
            }
            return mailbox.getMailboxId();
        }
    }

    @Override
    public Mono<Void> delete(Mailbox mailbox) {
        return Mono.fromCallable(() -> changing(() -> deleteNow(mailbox))).then();
    }

    private Object deleteNow(Mailbox mailbox) {
        return db.write(c -> {
            long id = ((StoreMailboxId) mailbox.getMailboxId()).value();
            List<String> messageIds = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT DISTINCT message_id FROM messages WHERE mailbox_id = ?")) {
                select.setLong(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        messageIds.add(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM mailboxes WHERE id = ?")) {
                delete.setLong(1, id);
                delete.executeUpdate();
            }
            MessageContentStore.deleteUnreferenced(c, messageIds);
            return null;
        });
    }

    /*
     * Mailbox rows (path, UIDVALIDITY, ACL) by id and id by path: James looks a mailbox up several times per IMAP
     * command. Rows change only through this mapper (MailDelivery only adds INBOXes), so every change here empties
     * the cache, before and after its write; a lookup stores what it read only if no change began meanwhile.
     * Callers get copies, since James mutates the Mailbox objects it is given.
     */
    private final ConcurrentHashMap<Long, Mailbox> cachedById = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<MailboxPath, Long> cachedIdByPath = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();

    private volatile Runnable onRowsChanged = () -> { };

    private void forgetAll() {
        changes.incrementAndGet();
        cachedById.clear();
        cachedIdByPath.clear();
    }

    private <T> T changing(java.util.concurrent.Callable<T> change) throws Exception {
        forgetAll();
        try {
            return change.call();
        } finally {
            forgetAll();
            onRowsChanged.run();
        }
    }

    /** Runs {@code listener} after every change of a mailbox row made through this mapper (to tell other nodes). */
    public void onRowsChanged(Runnable listener) {
        this.onRowsChanged = listener;
    }

    /** Forgets every cached mailbox row: another node changed one. */
    public void forgetCachedRows() {
        forgetAll();
    }

    private Mailbox remember(Mailbox loaded, long changesBefore) {
        if (loaded != null && changes.get() == changesBefore) {
            long id = ((StoreMailboxId) loaded.getMailboxId()).value();
            cachedById.put(id, new Mailbox(loaded));
            cachedIdByPath.put(loaded.generateAssociatedPath(), id);
        }
        return loaded;
    }

    @Override
    public Mono<Mailbox> findMailboxByPath(MailboxPath path) {
        return Mono.fromCallable(() -> {
            Long id = cachedIdByPath.get(path);
            Mailbox cached = id == null ? null : cachedById.get(id);
            if (cached != null) {
                return new Mailbox(cached);
            }
            long before = changes.get();
            return remember(db.read(c -> {
                try (PreparedStatement select = c.prepareStatement(
                        "SELECT " + COLUMNS + " FROM mailboxes WHERE namespace = ? AND username = ? AND name = ?")) {
                    select.setString(1, path.getNamespace());
                    select.setString(2, userColumn(path.getUser()));
                    select.setString(3, path.getName());
                    return first(c, select);
                }
            }), before);
        });
    }

    @Override
    public Mono<Mailbox> findMailboxById(MailboxId mailboxId) {
        return Mono.fromCallable(() -> {
                long id = ((StoreMailboxId) mailboxId).value();
                Mailbox cached = cachedById.get(id);
                if (cached != null) {
                    return new Mailbox(cached);
                }
                long before = changes.get();
                return remember(db.read(c -> {
                    try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM mailboxes WHERE id = ?")) {
                        select.setLong(1, id);
                        return first(c, select);
                    }
                }), before);
            })
            .switchIfEmpty(Mono.error(() -> new MailboxNotFoundException(mailboxId)));
    }

    @Override
    public Flux<Mailbox> findNonPersonalMailboxes(Username userName, Right right) {
        MailboxACL.EntryKey key = MailboxACL.EntryKey.createUserEntryKey(userName);
        return Flux.defer(() -> Flux.fromIterable(db.read(c -> {
                try (PreparedStatement select = c.prepareStatement("SELECT m.id, m.namespace, m.username, m.name, m.uid_validity"
                        + " FROM mailboxes m JOIN mailbox_acl a ON a.mailbox_id = m.id WHERE a.entry_key = ?")) {
                    select.setString(1, key.serialize());
                    return all(c, select);
                }
            })))
            .filter(mailbox -> {
                MailboxACL.Rfc4314Rights rights = mailbox.getACL().getEntries().get(key);
                return rights != null && rights.contains(right);
            });
    }

    @Override
    public Flux<Mailbox> findMailboxWithPathLike(MailboxQuery.UserBound query) {
        return Flux.defer(() -> Flux.fromIterable(db.read(c -> {
                try (PreparedStatement select = c.prepareStatement(
                        "SELECT " + COLUMNS + " FROM mailboxes WHERE namespace = ? AND username = ?")) {
                    select.setString(1, query.getFixedNamespace());
                    select.setString(2, userColumn(query.getFixedUser()));
                    return all(c, select);
                }
            })))
            .filter(query::matches);
    }

    @Override
    public Mono<Boolean> hasChildren(Mailbox mailbox, char delimiter) {
        return Mono.fromCallable(() -> db.read(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT name FROM mailboxes WHERE namespace = ? AND username = ? AND name LIKE ? ESCAPE '\\'")) {
                select.setString(1, mailbox.getNamespace());
                select.setString(2, userColumn(mailbox.getUser()));
                select.setString(3, escapeLike(mailbox.getName() + delimiter) + "%");
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next();
                }
            }
        }));
    }

    @Override
    public Mono<ACLDiff> updateACL(Mailbox mailbox, MailboxACL.ACLCommand command) {
        return Mono.fromCallable(() -> changing(() -> db.write(c -> {
            long id = ((StoreMailboxId) mailbox.getMailboxId()).value();
            MailboxACL oldAcl = loadAcl(c, id);
            MailboxACL newAcl;
            try {
                newAcl = oldAcl.apply(command);
            } catch (org.apache.james.mailbox.exception.UnsupportedRightException e) {
                throw new StoreException(e.getMessage(), e);
            }
            storeAcl(c, id, newAcl);
            mailbox.setACL(newAcl);
            return ACLDiff.computeDiff(oldAcl, newAcl);
        })));
    }

    @Override
    public Mono<ACLDiff> setACL(Mailbox mailbox, MailboxACL acl) {
        return Mono.fromCallable(() -> changing(() -> db.write(c -> {
            long id = ((StoreMailboxId) mailbox.getMailboxId()).value();
            MailboxACL oldAcl = loadAcl(c, id);
            storeAcl(c, id, acl);
            mailbox.setACL(acl);
            return ACLDiff.computeDiff(oldAcl, acl);
        })));
    }

    @Override
    public Flux<Mailbox> list() {
        return Flux.defer(() -> Flux.fromIterable(db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM mailboxes")) {
                return all(c, select);
            }
        })));
    }

    static String userColumn(Username user) {
        return user == null ? "" : user.asString();
    }

    private static Username userFromColumn(String value) {
        return value == null || value.isEmpty() ? null : Username.of(value);
    }

    static String escapeLike(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static boolean isDuplicate(StoreException e) {
        return e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState());
    }

    private static Mailbox first(Connection c, PreparedStatement select) throws SQLException {
        List<Mailbox> found = all(c, select);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Mailbox> all(Connection c, PreparedStatement select) throws SQLException {
        List<Mailbox> result = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                MailboxPath path = new MailboxPath(rs.getString(2), userFromColumn(rs.getString(3)), rs.getString(4));
                result.add(new Mailbox(path, UidValidity.of(rs.getLong(5)), StoreMailboxId.of(rs.getLong(1))));
            }
        }
        if (!result.isEmpty()) {
            attachAcls(c, result);
        }
        return result;
    }

    private static void attachAcls(Connection c, List<Mailbox> mailboxes) throws SQLException {
        Map<Long, Map<MailboxACL.EntryKey, MailboxACL.Rfc4314Rights>> byMailbox = new HashMap<>();
        StringBuilder sql = new StringBuilder("SELECT mailbox_id, entry_key, rights FROM mailbox_acl WHERE mailbox_id IN (");
        for (int i = 0; i < mailboxes.size(); i++) {
            sql.append(i == 0 ? "?" : ",?");
        }
        sql.append(')');
        try (PreparedStatement select = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < mailboxes.size(); i++) {
                select.setLong(i + 1, ((StoreMailboxId) mailboxes.get(i).getMailboxId()).value());
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    try {
                        byMailbox.computeIfAbsent(rs.getLong(1), k -> new HashMap<>())
                            .put(MailboxACL.EntryKey.deserialize(rs.getString(2)), MailboxACL.Rfc4314Rights.deserialize(rs.getString(3)));
                    } catch (org.apache.james.mailbox.exception.UnsupportedRightException e) {
                        throw new SQLException("corrupt ACL row: " + e.getMessage(), e);
                    }
                }
            }
        }
        for (Mailbox mailbox : mailboxes) {
            Map<MailboxACL.EntryKey, MailboxACL.Rfc4314Rights> entries = byMailbox.get(((StoreMailboxId) mailbox.getMailboxId()).value());
            if (entries != null) {
                mailbox.setACL(new MailboxACL(entries));
            }
        }
    }

    private static MailboxACL loadAcl(Connection c, long mailboxId) throws SQLException {
        Map<MailboxACL.EntryKey, MailboxACL.Rfc4314Rights> entries = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement("SELECT entry_key, rights FROM mailbox_acl WHERE mailbox_id = ?")) {
            select.setLong(1, mailboxId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    try {
                        entries.put(MailboxACL.EntryKey.deserialize(rs.getString(1)), MailboxACL.Rfc4314Rights.deserialize(rs.getString(2)));
                    } catch (org.apache.james.mailbox.exception.UnsupportedRightException e) {
                        throw new SQLException("corrupt ACL row: " + e.getMessage(), e);
                    }
                }
            }
        }
        return new MailboxACL(entries);
    }

    private static void storeAcl(Connection c, long mailboxId, MailboxACL acl) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM mailbox_acl WHERE mailbox_id = ?")) {
            delete.setLong(1, mailboxId);
            delete.executeUpdate();
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO mailbox_acl (mailbox_id, entry_key, rights) VALUES (?, ?, ?)")) {
            for (Map.Entry<MailboxACL.EntryKey, MailboxACL.Rfc4314Rights> entry : acl.getEntries().entrySet()) {
                insert.setLong(1, mailboxId);
                insert.setString(2, entry.getKey().serialize());
                insert.setString(3, entry.getValue().serialize());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}

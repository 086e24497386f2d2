package org.letterbox.store.mailbox;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.james.mailbox.model.MailboxAnnotation;
import org.apache.james.mailbox.model.MailboxAnnotationKey;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.store.mail.AnnotationMapper;
import org.letterbox.store.jdbc.Database;

/** Mailbox annotations (IMAP METADATA), in {@code annotations}. */
public final class JdbcAnnotationMapper implements AnnotationMapper {
    private final Database db;

    public JdbcAnnotationMapper(Database db) {
        this.db = db;
    }

    private static long id(MailboxId mailboxId) {
        return ((StoreMailboxId) mailboxId).value();
    }

    @Override
    public List<MailboxAnnotation> getAllAnnotations(MailboxId mailboxId) {
        return select(mailboxId, annotation -> true);
    }

    @Override
    public List<MailboxAnnotation> getAnnotationsByKeys(MailboxId mailboxId, Set<MailboxAnnotationKey> keys) {
        return select(mailboxId, annotation -> keys.contains(annotation.getKey()));
    }

    @Override
    public List<MailboxAnnotation> getAnnotationsByKeysWithOneDepth(MailboxId mailboxId, Set<MailboxAnnotationKey> keys) {
        return select(mailboxId, annotation -> keys.stream().anyMatch(key -> key.isParentOrIsEqual(annotation.getKey())));
    }

    @Override
    public List<MailboxAnnotation> getAnnotationsByKeysWithAllDepth(MailboxId mailboxId, Set<MailboxAnnotationKey> keys) {
        return select(mailboxId, annotation -> keys.stream().anyMatch(key -> key.isAncestorOrIsEqual(annotation.getKey())));
    }

    private List<MailboxAnnotation> select(MailboxId mailboxId, Predicate<MailboxAnnotation> filter) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT annotation_key, annotation_value FROM annotations WHERE mailbox_id = ? ORDER BY annotation_key")) {
                select.setLong(1, id(mailboxId));
                List<MailboxAnnotation> result = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        MailboxAnnotation annotation = MailboxAnnotation.newInstance(new MailboxAnnotationKey(rs.getString(1)), rs.getString(2));
                        if (filter.test(annotation)) {
                            result.add(annotation);
                        }
                    }
                }
                return result;
            }
        });
    }

    @Override
    public void deleteAnnotation(MailboxId mailboxId, MailboxAnnotationKey key) {
        db.write(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM annotations WHERE mailbox_id = ? AND annotation_key = ?")) {
                delete.setLong(1, id(mailboxId));
                delete.setString(2, key.asString());
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public void insertAnnotation(MailboxId mailboxId, MailboxAnnotation annotation) {
        if (annotation.isNil()) {
            throw new IllegalArgumentException("a nil annotation cannot be stored; delete it instead");
        }
        String key = annotation.getKey().asString();
        db.write(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM annotations WHERE mailbox_id = ? AND annotation_key = ?");
                 PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO annotations (mailbox_id, annotation_key, annotation_value) VALUES (?, ?, ?)")) {
                delete.setLong(1, id(mailboxId));
                delete.setString(2, key);
                delete.executeUpdate();
                insert.setLong(1, id(mailboxId));
                insert.setString(2, key);
                insert.setString(3, annotation.getValue().orElse(""));
                return insert.executeUpdate();
            }
        });
    }

    @Override
    public boolean exist(MailboxId mailboxId, MailboxAnnotation annotation) {
        return !getAnnotationsByKeys(mailboxId, Set.of(annotation.getKey())).isEmpty();
    }

    @Override
    public int countAnnotations(MailboxId mailboxId) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM annotations WHERE mailbox_id = ?")) {
                select.setLong(1, id(mailboxId));
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }
}

package org.letterbox.store.mailbox;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.mail.Flags;

import org.apache.james.mailbox.ApplicableFlagBuilder;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.MailboxNotFoundException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxCounters;
import org.apache.james.mailbox.model.MessageMetaData;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.UpdatedFlags;
import org.apache.james.mailbox.store.FlagsUpdateCalculator;
import org.apache.james.mailbox.store.mail.MessageMapper;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.apache.james.mailbox.store.mail.model.impl.SimpleMailboxMessage;
import org.letterbox.store.jdbc.Database;
import org.letterbox.store.jdbc.StoreException;

import reactor.core.publisher.Flux;

/**
 * Messages of one mailbox, in {@code messages}, with their bytes in {@code message_content}.
 *
 * <p>Every mutation is one unit of the store's group commit: the UID and mod-sequence are taken from the mailbox
 * row, the rows are written and the counters bumped in the same transaction, so no two appends share a UID,
 * mod-sequences only grow, and a crash leaves either the whole message or nothing.
 */
public final class JdbcMessageMapper implements MessageMapper {

    private final Database db;
    private final Clock clock;
    private final MessageRowReader rows;

    public JdbcMessageMapper(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.rows = new MessageRowReader(db);
    }

    private static long id(Mailbox mailbox) {
        return ((StoreMailboxId) mailbox.getMailboxId()).value();
    }

    @Override
    public Iterator<MailboxMessage> findInMailbox(Mailbox mailbox, MessageRange set, FetchType type, int limit)
            throws MailboxException {
        return guard(() -> db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + MessageRowReader.columns(type)
                    + MessageRowReader.from() + " WHERE m.mailbox_id = ? AND m.uid BETWEEN ? AND ? ORDER BY m.uid")) {
                select.setLong(1, id(mailbox));
                MessageRowReader.bindRange(select, 2, set);
                if (limit > 0) {
                    select.setMaxRows(limit);
                }
                List<MailboxMessage> result = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        result.add(rows.read(rs, type));
                    }
                }
                return result;
            }
        })).iterator();
    }

    @Override
    public Flux<MailboxMessage> findInMailboxReactive(Mailbox mailbox, MessageRange set, FetchType type, int limit) {
        return Flux.defer(() -> {
            try {
                Iterator<MailboxMessage> found = findInMailbox(mailbox, set, type, limit);
                return Flux.fromIterable(() -> found);
            } catch (MailboxException e) {
                return Flux.error(e);
            }
        });
    }

    @Override
    public List<MessageUid> retrieveMessagesMarkedForDeletion(Mailbox mailbox, MessageRange range) throws MailboxException {
        return uids("SELECT uid FROM messages WHERE mailbox_id = ? AND deleted = 1 AND uid BETWEEN ? AND ? ORDER BY uid",
            mailbox, range);
    }

    @Override
    public long countMessagesInMailbox(Mailbox mailbox) throws MailboxException {
        return getMailboxCounters(mailbox).getCount();
    }

    @Override
    public MailboxCounters getMailboxCounters(Mailbox mailbox) throws MailboxException {
        return guard(() -> db.read(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT COUNT(*), SUM(seen) FROM messages WHERE mailbox_id = ?")) {
                select.setLong(1, id(mailbox));
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    long count = rs.getLong(1);
                    long seen = rs.getLong(2);
                    return MailboxCounters.builder()
                        .mailboxId(mailbox.getMailboxId())
                        .count(count)
                        .unseen(count - seen)
                        .build();
                }
            }
        }));
    }

    @Override
    public void delete(Mailbox mailbox, MailboxMessage message) throws MailboxException {
        deleteMessages(mailbox, List.of(message.getUid()));
    }

    @Override
    public Map<MessageUid, MessageMetaData> deleteMessages(Mailbox mailbox, List<MessageUid> uids) throws MailboxException {
        if (uids.isEmpty()) {
            return Map.of();
        }
        return guard(() -> db.write(c -> {
            Map<MessageUid, MessageMetaData> deleted = new LinkedHashMap<>();
            List<String> messageIds = new ArrayList<>();
            for (MessageRange range : MessageRange.toRanges(uids)) {
                try (PreparedStatement select = c.prepareStatement("SELECT " + MessageRowReader.METADATA_COLUMNS
                        + MessageRowReader.from() + " WHERE m.mailbox_id = ? AND m.uid BETWEEN ? AND ?")) {
                    select.setLong(1, id(mailbox));
                    MessageRowReader.bindRange(select, 2, range);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            SimpleMailboxMessage message = rows.read(rs, FetchType.METADATA);
                            deleted.put(message.getUid(), message.metaData());
                            messageIds.add(message.getMessageId().serialize());
                        }
                    }
                }
                try (PreparedStatement delete = c.prepareStatement(
                        "DELETE FROM messages WHERE mailbox_id = ? AND uid BETWEEN ? AND ?")) {
                    delete.setLong(1, id(mailbox));
                    MessageRowReader.bindRange(delete, 2, range);
                    delete.executeUpdate();
                }
            }
            if (!deleted.isEmpty()) {
                // RFC 7162: an expunge is a change, so HIGHESTMODSEQ moves on
                MailboxRowCounters.nextModSeq(c, id(mailbox));
            }
            MessageContentStore.deleteUnreferenced(c, messageIds);
            return deleted;
        }));
    }

    @Override
    public MessageUid findFirstUnseenMessageUid(Mailbox mailbox) throws MailboxException {
        return guard(() -> db.read(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT MIN(uid) FROM messages WHERE mailbox_id = ? AND seen = 0")) {
                select.setLong(1, id(mailbox));
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    long uid = rs.getLong(1);
                    return rs.wasNull() ? null : MessageUid.of(uid);
                }
            }
        }));
    }

    @Override
    public List<MessageUid> findRecentMessageUidsInMailbox(Mailbox mailbox) throws MailboxException {
        return uids("SELECT uid FROM messages WHERE mailbox_id = ? AND recent = 1 AND uid BETWEEN ? AND ? ORDER BY uid",
            mailbox, MessageRange.all());
    }

    @Override
    public MessageMetaData add(Mailbox mailbox, MailboxMessage message) throws MailboxException {
        return guard(() -> db.write(c -> {
            MailboxRowCounters.Next next = MailboxRowCounters.next(c, id(mailbox), true);
            message.setUid(next.uid());
            message.setModSeq(next.modSeq());
            return insert(c, mailbox, message, message.createFlags(), true);
        }));
    }

    /**
     * Stores a message under the UID and mod-sequence it already carries (the message-id API's "save"), moving
     * the mailbox's counters past them so later allocations stay unique.
     */
    public MessageMetaData saveAsIs(MailboxMessage message) throws MailboxException {
        long mailboxId = ((StoreMailboxId) message.getMailboxId()).value();
        Mailbox target = new Mailbox(new org.apache.james.mailbox.model.MailboxPath("#private", null, "unused"),
            org.apache.james.mailbox.model.UidValidity.of(1), message.getMailboxId());
        return guard(() -> db.write(c -> {
            MailboxRowCounters.lastUid(c, mailboxId);
            try (PreparedStatement raise = c.prepareStatement("UPDATE mailboxes SET"
                    + " last_uid = CASE WHEN last_uid < ? THEN ? ELSE last_uid END,"
                    + " highest_modseq = CASE WHEN highest_modseq < ? THEN ? ELSE highest_modseq END WHERE id = ?")) {
                raise.setLong(1, message.getUid().asLong());
                raise.setLong(2, message.getUid().asLong());
                raise.setLong(3, message.getModSeq().asLong());
                raise.setLong(4, message.getModSeq().asLong());
                raise.setLong(5, mailboxId);
                raise.executeUpdate();
            }
            return insert(c, target, message, message.createFlags(), true);
        }));
    }

    /**
     * One unit: reads the rows, computes new flags, and writes the changed ones. A change that touches anything but
     * \Recent takes one new mod-sequence for the whole range; a change to \Recent alone (which is per-session state
     * in IMAP) does not move the mod-sequence, so CONDSTORE clients are not told of it.
     */
    @Override
    public Iterator<UpdatedFlags> updateFlags(Mailbox mailbox, FlagsUpdateCalculator calculator, MessageRange set)
            throws MailboxException {
        return guard(() -> db.write(c -> {
            record Change(long uid, Flags newFlags, boolean bumpsModSeq, UpdatedFlags.Builder result) {
            }
            List<Change> changes = new ArrayList<>();
            List<UpdatedFlags.Builder> results = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT uid, message_id, modseq, answered, deleted,"
                    + " draft, flagged, recent, seen, user_flags FROM messages"
                    + " WHERE mailbox_id = ? AND uid BETWEEN ? AND ? ORDER BY uid")) {
                select.setLong(1, id(mailbox));
                MessageRowReader.bindRange(select, 2, set);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        Flags oldFlags = MessageRowReader.FlagColumns.read(rs, 4);
                        Flags newFlags = calculator.buildNewFlags(oldFlags);
                        UpdatedFlags.Builder result = UpdatedFlags.builder()
                            .uid(MessageUid.of(rs.getLong(1)))
                            .messageId(new StoreMessageId(rs.getString(2)))
                            .modSeq(ModSeq.of(rs.getLong(3)))
                            .oldFlags(oldFlags)
                            .newFlags(newFlags);
                        results.add(result);
                        if (UpdatedFlags.flagsChanged(oldFlags, newFlags)) {
                            changes.add(new Change(rs.getLong(1), newFlags, changedBeyondRecent(oldFlags, newFlags), result));
                        }
                    }
                }
            }
            if (!changes.isEmpty()) {
                boolean bump = changes.stream().anyMatch(Change::bumpsModSeq);
                ModSeq modSeq = bump ? MailboxRowCounters.nextModSeq(c, id(mailbox)) : null;
                try (PreparedStatement update = c.prepareStatement("UPDATE messages SET answered = ?, deleted = ?,"
                        + " draft = ?, flagged = ?, recent = ?, seen = ?, user_flags = ?, modseq = COALESCE(?, modseq)"
                        + " WHERE mailbox_id = ? AND uid = ?")) {
                    for (Change change : changes) {
                        rememberKeywords(c, id(mailbox), change.newFlags());
                        MessageRowReader.FlagColumns.bind(update, 1, change.newFlags());
                        if (change.bumpsModSeq()) {
                            update.setLong(8, modSeq.asLong());
                            change.result().modSeq(modSeq);
                        } else {
                            update.setNull(8, java.sql.Types.BIGINT);
                        }
                        update.setLong(9, id(mailbox));
                        update.setLong(10, change.uid());
                        update.addBatch();
                    }
                    update.executeBatch();
                }
            }
            List<UpdatedFlags> updated = new ArrayList<>(results.size());
            results.forEach(builder -> updated.add(builder.build()));
            return updated;
        })).iterator();
    }

    private static boolean changedBeyondRecent(Flags oldFlags, Flags newFlags) {
        Flags before = new Flags(oldFlags);
        Flags after = new Flags(newFlags);
        before.remove(Flags.Flag.RECENT);
        after.remove(Flags.Flag.RECENT);
        return !before.equals(after);
    }

    @Override
    public MessageMetaData copy(Mailbox mailbox, MailboxMessage original) throws MailboxException {
        return guard(() -> db.write(c -> copyInto(c, mailbox, original)));
    }

    @Override
    public List<MessageMetaData> copy(Mailbox mailbox, List<MailboxMessage> originals) throws MailboxException {
        return guard(() -> db.write(c -> {
            List<MessageMetaData> result = new ArrayList<>(originals.size());
            for (MailboxMessage original : originals) {
                result.add(copyInto(c, mailbox, original));
            }
            return result;
        }));
    }

    @Override
    public MessageMetaData move(Mailbox mailbox, MailboxMessage original) throws MailboxException {
        return move(mailbox, List.of(original)).get(0);
    }

    @Override
    public List<MessageMetaData> move(Mailbox mailbox, List<MailboxMessage> originals) throws MailboxException {
        return guard(() -> db.write(c -> {
            List<MessageMetaData> result = new ArrayList<>(originals.size());
            for (MailboxMessage original : originals) {
                MessageMetaData moved = copyInto(c, mailbox, original);
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM messages WHERE mailbox_id = ? AND uid = ?")) {
                    delete.setLong(1, ((StoreMailboxId) original.getMailboxId()).value());
                    delete.setLong(2, original.getUid().asLong());
                    delete.executeUpdate();
                }
                MailboxRowCounters.nextModSeq(c, ((StoreMailboxId) original.getMailboxId()).value());
                result.add(moved);
            }
            return result;
        }));
    }

    private MessageMetaData copyInto(Connection c, Mailbox mailbox, MailboxMessage original) throws SQLException {
        MailboxRowCounters.Next next = MailboxRowCounters.next(c, id(mailbox), true);
        Flags flags = original.createFlags();
        flags.add(Flags.Flag.RECENT);
        // The copy shares the original's message id and therefore its one stored copy of the bytes.
        return insertRow(c, mailbox, next.uid(), next.modSeq(), original, flags);
    }

    private MessageMetaData insert(Connection c, Mailbox mailbox, MailboxMessage message, Flags flags,
                                   boolean withContent) throws SQLException {
        if (withContent) {
            try (InputStream content = message.getFullContent()) {
                MessageContentStore.insertIfAbsent(c, message.getMessageId().serialize(), message.getFullContentOctets(),
                    (int) (message.getFullContentOctets() - message.getBodyOctets()), message.getProperties(), content,
                    db.spool().inlineLimit());
            } catch (IOException e) {
                throw new SQLException("cannot read the message being stored: " + e.getMessage(), e);
            }
        }
        return insertRow(c, mailbox, message.getUid(), message.getModSeq(), message, flags);
    }

    private MessageMetaData insertRow(Connection c, Mailbox mailbox, MessageUid uid, ModSeq modSeq,
                                      MailboxMessage message, Flags flags) throws SQLException {
        Date saveDate = Date.from(clock.instant());
        StoreSchema.insertMessageRow(c, id(mailbox), uid.asLong(), modSeq.asLong(), message.getMessageId().serialize(),
            message.getThreadId().getBaseMessageId().serialize(), message.getInternalDate(), saveDate,
            message.getFullContentOctets(), flags);
        return new MessageMetaData(uid, modSeq, flags, message.getFullContentOctets(),
            message.getInternalDate(), Optional.of(saveDate), message.getMessageId(), message.getThreadId());
    }

    /**
     * The stored bytes of one message, straight from the content table (no MIME parsing): what POP3's RETR and TOP
     * need. Empty when the message is gone.
     */
    public Optional<java.io.InputStream> messageContent(long mailboxId, long uid) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT c.message_id, c.size, c.content FROM messages m JOIN message_content c"
                    + " ON c.message_id = m.message_id WHERE m.mailbox_id = ? AND m.uid = ?")) {
                select.setLong(1, mailboxId);
                select.setLong(2, uid);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<java.io.InputStream>empty();
                    }
                    db.countContentRead();
                    return Optional.of(MessageContentStore.open(c, rs.getString(1), rs, 2, db.spool()));
                }
            }
        });
    }

    @Override
    public Optional<MessageUid> getLastUid(Mailbox mailbox) throws MailboxException {
        return guard(() -> db.read(c -> MailboxRowCounters.lastUid(c, id(mailbox))));
    }

    @Override
    public ModSeq getHighestModSeq(Mailbox mailbox) throws MailboxException {
        return guard(() -> db.read(c -> MailboxRowCounters.highestModSeq(c, id(mailbox))));
    }

    /**
     * The system flags plus every keyword ever set in the mailbox. Keywords are remembered per mailbox
     * ({@code mailbox_keywords}) so that FLAGS never shrinks under a client, and so that this needs no scan.
     */
    @Override
    public Flags getApplicableFlag(Mailbox mailbox) throws MailboxException {
        return guard(() -> db.read(c -> {
            ApplicableFlagBuilder builder = ApplicableFlagBuilder.builder();
            try (PreparedStatement select = c.prepareStatement("SELECT keyword FROM mailbox_keywords WHERE mailbox_id = ?")) {
                select.setLong(1, id(mailbox));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        builder.add(rs.getString(1));
                    }
                }
            }
            return builder.build();
        }));
    }

    static void rememberKeywords(Connection c, long mailboxId, Flags flags) throws SQLException {
        String[] keywords = flags.getUserFlags();
        if (keywords.length == 0) {
            return;
        }
        try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM mailbox_keywords WHERE mailbox_id = ? AND keyword = ?");
             PreparedStatement insert = c.prepareStatement("INSERT INTO mailbox_keywords (mailbox_id, keyword) VALUES (?, ?)")) {
            for (String keyword : keywords) {
                exists.setLong(1, mailboxId);
                exists.setString(2, keyword);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        continue;
                    }
                }
                insert.setLong(1, mailboxId);
                insert.setString(2, keyword);
                insert.executeUpdate();
            }
        }
    }

    @Override
    public Flux<MessageUid> listAllMessageUids(Mailbox mailbox) {
        return Flux.defer(() -> {
            try {
                return Flux.fromIterable(uids("SELECT uid FROM messages WHERE mailbox_id = ? AND uid BETWEEN ? AND ?"
                    + " ORDER BY uid", mailbox, MessageRange.all()));
            } catch (MailboxException e) {
                return Flux.error(e);
            }
        });
    }

    private List<MessageUid> uids(String sql, Mailbox mailbox, MessageRange range) throws MailboxException {
        return guard(() -> db.read(c -> {
            try (PreparedStatement select = c.prepareStatement(sql)) {
                select.setLong(1, id(mailbox));
                MessageRowReader.bindRange(select, 2, range);
                List<MessageUid> result = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        result.add(MessageUid.of(rs.getLong(1)));
                    }
                }
                return result;
            }
        }));
    }

    interface StoreCall<T> {
        T call();
    }

    /** Turns store failures into the MailboxException James expects; a vanished mailbox into MailboxNotFound. */
    static <T> T guard(StoreCall<T> call) throws MailboxException {
        try {
            return call.call();
        } catch (StoreException e) {
            if (e.getCause() instanceof MailboxRowCounters.NoSuchMailbox missing) {
                throw new MailboxNotFoundException(StoreMailboxId.of(missing.mailboxId));
            }
            throw new MailboxException(e.getMessage(), e);
        }
    }
}

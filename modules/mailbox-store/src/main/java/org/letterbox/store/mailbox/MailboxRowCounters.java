package org.letterbox.store.mailbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.ModSeq;

/**
 * The last UID and highest mod-sequence kept on each mailbox row. Bumping them inside the write unit that uses
 * them makes UIDs unique and mod-sequences strictly increasing, whatever the concurrency.
 */
final class MailboxRowCounters {

    record Next(MessageUid uid, ModSeq modSeq) {
    }

    /** The mailbox row is gone (deleted by another session). */
    static final class NoSuchMailbox extends SQLException {
        final long mailboxId;

        NoSuchMailbox(long mailboxId) {
            super("no mailbox with id " + mailboxId);
            this.mailboxId = mailboxId;
        }
    }

    private MailboxRowCounters() {
    }

    static Next next(Connection c, long mailboxId, boolean withUid) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(withUid
                ? "UPDATE mailboxes SET last_uid = last_uid + 1, highest_modseq = highest_modseq + 1 WHERE id = ?"
                : "UPDATE mailboxes SET highest_modseq = highest_modseq + 1 WHERE id = ?")) {
            update.setLong(1, mailboxId);
            if (update.executeUpdate() == 0) {
                throw new NoSuchMailbox(mailboxId);
            }
        }
        try (PreparedStatement select = c.prepareStatement("SELECT last_uid, highest_modseq FROM mailboxes WHERE id = ?")) {
            select.setLong(1, mailboxId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return new Next(MessageUid.of(rs.getLong(1)), ModSeq.of(rs.getLong(2)));
            }
        }
    }

    static ModSeq nextModSeq(Connection c, long mailboxId) throws SQLException {
        return next(c, mailboxId, false).modSeq();
    }

    static MessageUid nextUid(Connection c, long mailboxId) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE mailboxes SET last_uid = last_uid + 1 WHERE id = ?")) {
            update.setLong(1, mailboxId);
            if (update.executeUpdate() == 0) {
                throw new NoSuchMailbox(mailboxId);
            }
        }
        return lastUid(c, mailboxId).orElseThrow();
    }

    static Optional<MessageUid> lastUid(Connection c, long mailboxId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT last_uid FROM mailboxes WHERE id = ?")) {
            select.setLong(1, mailboxId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new NoSuchMailbox(mailboxId);
                }
                long uid = rs.getLong(1);
                return uid == 0 ? Optional.empty() : Optional.of(MessageUid.of(uid));
            }
        }
    }

    static ModSeq highestModSeq(Connection c, long mailboxId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT highest_modseq FROM mailboxes WHERE id = ?")) {
            select.setLong(1, mailboxId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new NoSuchMailbox(mailboxId);
                }
                return ModSeq.of(rs.getLong(1));
            }
        }
    }
}

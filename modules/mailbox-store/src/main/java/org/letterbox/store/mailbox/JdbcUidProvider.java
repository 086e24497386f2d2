package org.letterbox.store.mailbox;

import java.util.Optional;

import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.store.mail.UidProvider;
import org.letterbox.store.jdbc.Database;

/** UIDs from the {@code last_uid} counter of the mailbox row; each allocation is its own durable unit. */
public final class JdbcUidProvider implements UidProvider {
    private final Database db;

    public JdbcUidProvider(Database db) {
        this.db = db;
    }

    @Override
    public MessageUid nextUid(Mailbox mailbox) throws MailboxException {
        return nextUid(mailbox.getMailboxId());
    }

    @Override
    public Optional<MessageUid> lastUid(Mailbox mailbox) throws MailboxException {
        long id = ((StoreMailboxId) mailbox.getMailboxId()).value();
        return JdbcMessageMapper.guard(() -> db.read(c -> MailboxRowCounters.lastUid(c, id)));
    }

    @Override
    public MessageUid nextUid(MailboxId mailboxId) throws MailboxException {
        long id = ((StoreMailboxId) mailboxId).value();
        return JdbcMessageMapper.guard(() -> db.write(c -> MailboxRowCounters.nextUid(c, id)));
    }
}

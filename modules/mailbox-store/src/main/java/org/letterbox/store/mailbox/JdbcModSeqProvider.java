package org.letterbox.store.mailbox;

import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.store.mail.ModSeqProvider;
import org.letterbox.store.jdbc.Database;

/** Mod-sequences from the {@code highest_modseq} counter of the mailbox row. */
public final class JdbcModSeqProvider implements ModSeqProvider {
    private final Database db;

    public JdbcModSeqProvider(Database db) {
        this.db = db;
    }

    @Override
    public ModSeq nextModSeq(Mailbox mailbox) throws MailboxException {
        return nextModSeq(mailbox.getMailboxId());
    }

    @Override
    public ModSeq nextModSeq(MailboxId mailboxId) throws MailboxException {
        long id = ((StoreMailboxId) mailboxId).value();
        return JdbcMessageMapper.guard(() -> db.write(c -> MailboxRowCounters.nextModSeq(c, id)));
    }

    @Override
    public ModSeq highestModSeq(Mailbox mailbox) throws MailboxException {
        return highestModSeq(mailbox.getMailboxId());
    }

    @Override
    public ModSeq highestModSeq(MailboxId mailboxId) throws MailboxException {
        long id = ((StoreMailboxId) mailboxId).value();
        return JdbcMessageMapper.guard(() -> db.read(c -> MailboxRowCounters.highestModSeq(c, id)));
    }
}

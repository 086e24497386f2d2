package org.letterbox.store.contract;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.store.mail.AttachmentMapper;
import org.apache.james.mailbox.store.mail.MailboxMapper;
import org.apache.james.mailbox.store.mail.MessageIdMapper;
import org.apache.james.mailbox.store.mail.MessageMapper;
import org.apache.james.mailbox.store.mail.model.MapperProvider;
import org.letterbox.store.TestBackend;
import org.letterbox.store.jdbc.Database;
import org.letterbox.store.mailbox.JdbcMapperFactory;
import org.letterbox.store.mailbox.StoreMailboxId;
import org.letterbox.store.mailbox.StoreMessageId;

/** Our mappers over an emptied database of one backend, for James's mapper contract tests. */
final class JdbcMapperProvider implements MapperProvider {
    private final JdbcMapperFactory factory;
    // Far above the UIDs the mailboxes allocate themselves, so test-chosen UIDs never collide with them.
    private final AtomicLong uids = new AtomicLong(1_000_000);

    JdbcMapperProvider(TestBackend backend, Clock clock) {
        Database db = backend.emptyDatabase();
        this.factory = new JdbcMapperFactory(db, clock);
    }

    @Override
    public List<Capabilities> getSupportedCapabilities() {
        return List.of(Capabilities.MESSAGE, Capabilities.MAILBOX, Capabilities.ANNOTATION, Capabilities.MOVE,
            Capabilities.UNIQUE_MESSAGE_ID, Capabilities.THREAD_SAFE_FLAGS_UPDATE, Capabilities.INCREMENTAL_APPLICABLE_FLAGS,
            Capabilities.ACL_STORAGE);
    }

    @Override
    public MailboxMapper createMailboxMapper() {
        return factory.mailboxMapper();
    }

    @Override
    public MessageMapper createMessageMapper() {
        return factory.messageMapper();
    }

    @Override
    public MessageIdMapper createMessageIdMapper() {
        return factory.createMessageIdMapper(null);
    }

    @Override
    public AttachmentMapper createAttachmentMapper() {
        throw new UnsupportedOperationException("attachments are not stored separately");
    }

    @Override
    public MailboxId generateId() {
        return StoreMailboxId.of(Math.abs(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)));
    }

    @Override
    public MessageUid generateMessageUid() {
        return MessageUid.of(uids.incrementAndGet());
    }

    @Override
    public ModSeq generateModSeq(Mailbox mailbox) throws MailboxException {
        try {
            return factory.getModSeqProvider().nextModSeq(mailbox);
        } catch (org.apache.james.mailbox.exception.MailboxNotFoundException e) {
            // the contract asks for a mod-sequence for a mailbox that was never stored
            return ModSeq.first();
        }
    }

    @Override
    public ModSeq highestModSeq(Mailbox mailbox) throws MailboxException {
        return factory.getModSeqProvider().highestModSeq(mailbox);
    }

    @Override
    public boolean supportPartialAttachmentFetch() {
        return false;
    }

    @Override
    public MessageId generateMessageId() {
        return new StoreMessageId.Factory().generate();
    }
}

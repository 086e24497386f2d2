package org.letterbox.store.mailbox;

import java.time.Clock;

import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.store.MailboxSessionMapperFactory;
import org.apache.james.mailbox.store.mail.AnnotationMapper;
import org.apache.james.mailbox.store.mail.MailboxMapper;
import org.apache.james.mailbox.store.mail.MessageIdMapper;
import org.apache.james.mailbox.store.mail.MessageMapper;
import org.apache.james.mailbox.store.mail.ModSeqProvider;
import org.apache.james.mailbox.store.mail.UidProvider;
import org.apache.james.mailbox.store.user.SubscriptionMapper;
import org.letterbox.store.jdbc.Database;

/**
 * Hands James's store the JDBC mappers. They hold no per-session state (each call is its own unit of work), so
 * one instance of each serves every session.
 */
public final class JdbcMapperFactory extends MailboxSessionMapperFactory {
    private final JdbcMailboxMapper mailboxMapper;
    private final JdbcMessageMapper messageMapper;
    private final JdbcMessageIdMapper messageIdMapper;
    private final JdbcSubscriptionMapper subscriptionMapper;
    private final JdbcAnnotationMapper annotationMapper;
    private final JdbcUidProvider uidProvider;
    private final JdbcModSeqProvider modSeqProvider;

    public JdbcMapperFactory(Database db, Clock clock) {
        this.mailboxMapper = new JdbcMailboxMapper(db);
        this.messageMapper = new JdbcMessageMapper(db, clock);
        this.messageIdMapper = new JdbcMessageIdMapper(db, messageMapper, mailboxMapper);
        this.subscriptionMapper = new JdbcSubscriptionMapper(db);
        this.annotationMapper = new JdbcAnnotationMapper(db);
        this.uidProvider = new JdbcUidProvider(db);
        this.modSeqProvider = new JdbcModSeqProvider(db);
    }

    @Override
    public AnnotationMapper createAnnotationMapper(MailboxSession session) {
        return annotationMapper;
    }

    @Override
    public MessageMapper createMessageMapper(MailboxSession session) {
        return messageMapper;
    }

    @Override
    public MessageIdMapper createMessageIdMapper(MailboxSession session) {
        return messageIdMapper;
    }

    @Override
    public MailboxMapper createMailboxMapper(MailboxSession session) {
        return mailboxMapper;
    }

    @Override
    public SubscriptionMapper createSubscriptionMapper(MailboxSession session) {
        return subscriptionMapper;
    }

    @Override
    public UidProvider getUidProvider() {
        return uidProvider;
    }

    @Override
    public ModSeqProvider getModSeqProvider() {
        return modSeqProvider;
    }

    public JdbcMailboxMapper mailboxMapper() {
        return mailboxMapper;
    }

    public JdbcMessageMapper messageMapper() {
        return messageMapper;
    }
}

package org.letterbox.store.mailbox;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.mail.Flags;

import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.ComposedMessageId;
import org.apache.james.mailbox.model.ComposedMessageIdWithMetaData;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.UpdatedFlags;
import org.apache.james.mailbox.store.FlagsUpdateCalculator;
import org.apache.james.mailbox.store.mail.MailboxMapper;
import org.apache.james.mailbox.store.mail.MessageIdMapper;
import org.apache.james.mailbox.store.mail.MessageMapper.FetchType;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;

import com.google.common.collect.ImmutableListMultimap;
import com.google.common.collect.Multimap;

import org.letterbox.store.jdbc.Database;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Messages looked up by message id across mailboxes (the copies of one message share its id and its bytes). */
public final class JdbcMessageIdMapper implements MessageIdMapper {
    private final Database db;
    private final JdbcMessageMapper messageMapper;
    private final MailboxMapper mailboxMapper;
    private final MessageRowReader rows;

    public JdbcMessageIdMapper(Database db, JdbcMessageMapper messageMapper, MailboxMapper mailboxMapper) {
        this.db = db;
        this.messageMapper = messageMapper;
        this.mailboxMapper = mailboxMapper;
        this.rows = new MessageRowReader(db);
    }

    @Override
    public List<MailboxMessage> find(Collection<MessageId> messageIds, FetchType fetchType) {
        if (messageIds.isEmpty()) {
            return List.of();
        }
        return db.read(c -> {
            List<MailboxMessage> result = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT " + MessageRowReader.columns(fetchType)
                    + MessageRowReader.from() + " WHERE m.message_id = ? ORDER BY m.mailbox_id, m.uid")) {
                for (MessageId messageId : messageIds) {
                    select.setString(1, messageId.serialize());
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            result.add(rows.read(rs, fetchType));
                        }
                    }
                }
            }
            return result;
        });
    }

    @Override
    public Flux<ComposedMessageIdWithMetaData> findMetadata(MessageId messageId) {
        return Flux.defer(() -> Flux.fromIterable(find(List.of(messageId), FetchType.METADATA)))
            .map(message -> new ComposedMessageIdWithMetaData(
                new ComposedMessageId(message.getMailboxId(), message.getMessageId(), message.getUid()),
                message.createFlags(), message.getModSeq(), message.getThreadId()));
    }

    @Override
    public List<MailboxId> findMailboxes(MessageId messageId) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT DISTINCT mailbox_id FROM messages WHERE message_id = ?")) {
                select.setString(1, messageId.serialize());
                List<MailboxId> result = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        result.add(StoreMailboxId.of(rs.getLong(1)));
                    }
                }
                return result;
            }
        });
    }

    @Override
    public void save(MailboxMessage message) throws MailboxException {
        messageMapper.saveAsIs(message);
    }

    @Override
    public void copyInMailbox(MailboxMessage message, Mailbox mailbox) throws MailboxException {
        messageMapper.copy(mailbox, message);
    }

    @Override
    public void delete(MessageId messageId) {
        delete(messageId, findMailboxes(messageId));
    }

    @Override
    public void delete(MessageId messageId, Collection<MailboxId> mailboxIds) {
        for (MailboxMessage message : find(List.of(messageId), FetchType.METADATA)) {
            if (mailboxIds.contains(message.getMailboxId())) {
                Mailbox mailbox = mailboxMapper.findMailboxById(message.getMailboxId()).block();
                try {
                    messageMapper.deleteMessages(mailbox, List.of(message.getUid()));
                } catch (MailboxException e) {
                    throw new org.letterbox.store.jdbc.StoreException(e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public Mono<Multimap<MailboxId, UpdatedFlags>> setFlags(MessageId messageId, List<MailboxId> mailboxIds, Flags newState,
                                                          MessageManager.FlagsUpdateMode updateMode) {
        return Mono.fromCallable(() -> {
            ImmutableListMultimap.Builder<MailboxId, UpdatedFlags> result = ImmutableListMultimap.builder();
            for (MailboxMessage message : find(List.of(messageId), FetchType.METADATA)) {
                if (!mailboxIds.contains(message.getMailboxId())) {
                    continue;
                }
                Mailbox mailbox = mailboxMapper.findMailboxById(message.getMailboxId()).block();
                messageMapper.updateFlags(mailbox, new FlagsUpdateCalculator(newState, updateMode), MessageRange.one(message.getUid()))
                    .forEachRemaining(updated -> result.put(message.getMailboxId(), updated));
            }
            return result.build();
        });
    }
}

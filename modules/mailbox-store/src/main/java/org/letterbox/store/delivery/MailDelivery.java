package org.letterbox.store.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import javax.mail.Flags;

import org.apache.james.core.Username;
import org.apache.james.core.quota.QuotaCountUsage;
import org.apache.james.core.quota.QuotaSizeUsage;
import org.apache.james.events.EventBus;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.events.MailboxIdRegistrationKey;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageMetaData;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.mailbox.model.ThreadId;
import org.apache.james.mailbox.quota.QuotaManager;
import org.apache.james.mailbox.quota.QuotaRootResolver;
import org.apache.james.mailbox.store.event.EventFactory;
import org.letterbox.store.account.MailboxProvisioner;
import org.letterbox.store.jdbc.Database;
import org.letterbox.store.jdbc.DiskSpace;
import org.letterbox.store.mailbox.StoreMailboxId;
import org.letterbox.store.mailbox.StoreMessageId;
import org.letterbox.store.mailbox.StoreSchema;
import org.letterbox.store.queue.OutboundQueue;

/**
 * Delivers one message to local users' INBOXes and queues it for remote recipients, all in one durable unit:
 * either every recipient has it or none does. The bytes are stored once, whatever the number of recipients.
 * Sessions watching those INBOXes (IMAP IDLE) hear of it through the event bus once it is committed.
 */
public final class MailDelivery {

    /** Where each local recipient got the message. */
    public record Delivered(String user, long mailboxId, long uid, long modSeq) {
    }

    /** The outcome: the local copies and the number of queued remote recipients. */
    public record Result(String messageId, List<Delivered> local, int queued) {
    }

    /** A local recipient's quota (message count or storage) has no room for the message; nothing was stored. */
    public static final class OverQuota extends IOException {
        private final String user;

        public OverQuota(String user) {
            super("mailbox of " + user + " is full");
            this.user = user;
        }

        public String user() {
            return user;
        }
    }

    private final Database db;
    private final MailboxManager mailboxManager;
    private final EventBus eventBus;
    private final QuotaManager quotas;
    private final QuotaRootResolver quotaRoots;

    private final DiskSpace diskSpace;
    private final MailboxProvisioner provisioner;
    private final OutboundQueue queue;
    private final java.time.Clock clock;

    public MailDelivery(Database db, MailboxManager mailboxManager, EventBus eventBus, QuotaManager quotas,
                        QuotaRootResolver quotaRoots, DiskSpace diskSpace, OutboundQueue queue, java.time.Clock clock) {
        this.clock = clock;
        this.diskSpace = diskSpace;
        this.queue = queue;
        this.provisioner = new MailboxProvisioner(mailboxManager);
        this.db = db;
        this.mailboxManager = mailboxManager;
        this.eventBus = eventBus;
        this.quotas = quotas;
        this.quotaRoots = quotaRoots;
    }

    /** True when one more message of {@code size} bytes fits in {@code user}'s quota, as APPEND would judge it. */
    public boolean fits(String user, long size) throws IOException {
        try {
            QuotaRoot root = quotaRoots.getQuotaRoot(MailboxPath.inbox(Username.of(user)));
            QuotaManager.Quotas current = quotas.getQuotas(root);
            return !current.getMessageQuota().addValueToQuota(QuotaCountUsage.count(1)).isOverQuota()
                && !current.getStorageQuota().addValueToQuota(QuotaSizeUsage.size(size)).isOverQuota();
        } catch (org.apache.james.mailbox.exception.MailboxException e) {
            throw new IOException("cannot read the quota of " + user + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param sender envelope sender, empty string for the null sender
     * @param localUsers user names whose INBOX receives the message
     * @param remoteRecipients addresses to queue for remote delivery
     * @param content opens the message bytes (called twice: once to parse, once to store)
     * @param size the message size in bytes
     * @throws OverQuota when a local user's quota has no room for it (then nobody gets it)
     * @throws DiskSpace.Insufficient when the disk would be left below its reserve (then nobody gets it)
     */
    public Result deliver(String sender, List<String> localUsers, List<String> remoteRecipients,
                          Supplier<InputStream> content, long size) throws IOException {
        return deliver(sender, localUsers, remoteRecipients.stream().map(OutboundQueue.Recipient::of).toList(), content,
            size, OutboundQueue.Settlement.NONE);
    }

    /**
     * As {@link #deliver(String, List, List, Supplier, long)}, with the remote recipients' DSN parameters, and with
     * {@code settlement} applied to the outbound queue in the same unit (a bounce is stored, and the entries it
     * reports on are dropped, together or not at all).
     */
    public Result deliver(String sender, List<String> localUsers, List<OutboundQueue.Recipient> remoteRecipients,
                          Supplier<InputStream> content, long size, OutboundQueue.Settlement settlement) throws IOException {
        return deliver(sender, localUsers, "INBOX", remoteRecipients, content, size, settlement);
    }

    /**
     * As {@link #deliver(String, List, List, Supplier, long, OutboundQueue.Settlement)}, into {@code folder} of each
     * local user (INBOX, or Junk for mail a policy quarantines), made if it does not exist.
     */
    public Result deliver(String sender, List<String> localUsers, String folder, List<OutboundQueue.Recipient> remoteRecipients,
                          Supplier<InputStream> content, long size, OutboundQueue.Settlement settlement) throws IOException {
        for (String user : localUsers) {
            if (!fits(user, size)) {
                throw new OverQuota(user);
            }
        }
        diskSpace.requireRoomFor(size);
        MessageFacts facts;
        try (InputStream in = content.get()) {
            facts = MessageFacts.read(in);
        }
        java.util.Map<String, Mailbox> folders = new java.util.LinkedHashMap<>();
        for (String user : localUsers) {
            folders.put(user, provisioner.folderEntity(user, folder));
        }
        StoreMessageId messageId = new StoreMessageId.Factory().generate();
        Date internalDate = Date.from(clock.instant());
        List<Delivered> delivered = db.write(c -> {
            try (InputStream in = content.get()) {
                StoreSchema.insertContent(c, messageId.value(), size, facts.bodyStart(), facts.properties(), in, db.spool());
            } catch (IOException e) {
                throw new SQLException("cannot read the message being delivered: " + e.getMessage(), e);
            }
            List<Delivered> result = new ArrayList<>();
            // mailbox rows are locked in one order (their ids), so two nodes delivering to the same people never
            // wait for each other in a circle
            List<String> inLockOrder = new ArrayList<>(localUsers);
            inLockOrder.sort(java.util.Comparator.comparingLong(user -> idOf(folders.get(user))));
            for (String user : inLockOrder) {
                long mailboxId = idOf(folders.get(user));
                StoreSchema.Counters next = StoreSchema.nextCounters(c, mailboxId);
                StoreSchema.insertMessageRow(c, mailboxId, next.uid(), next.modSeq(), messageId.value(), messageId.value(),
                    internalDate, size, new Flags(Flags.Flag.RECENT));
                result.add(new Delivered(user, mailboxId, next.uid(), next.modSeq()));
            }
            OutboundQueue.enqueue(c, sender, remoteRecipients, messageId.value(), internalDate.toInstant());
            OutboundQueue.settle(c, settlement);
            return result;
        });
        if (!remoteRecipients.isEmpty()) {
            queue.enqueued();
        }
        for (Delivered copy : delivered) {
            announce(copy, folders.get(copy.user()), messageId, internalDate, size);
        }
        return new Result(messageId.value(), delivered, remoteRecipients.size());
    }

    private static long idOf(Mailbox mailbox) {
        return ((StoreMailboxId) mailbox.getMailboxId()).value();
    }

    private void announce(Delivered copy, Mailbox mailbox, StoreMessageId messageId, Date internalDate, long size) {
        MailboxSession session = mailboxManager.createSystemSession(Username.of(copy.user()));
        try {
            MessageMetaData metaData = new MessageMetaData(MessageUid.of(copy.uid()), ModSeq.of(copy.modSeq()), new Flags(Flags.Flag.RECENT),
                size, internalDate, Optional.of(internalDate), messageId, ThreadId.fromBaseMessageId(messageId));
            eventBus.dispatch(EventFactory.added()
                    .eventId(org.letterbox.store.events.EventIds.next())
                    .mailboxSession(session)
                    .mailbox(mailbox)
                    .addMetaData(metaData)
                    .isDelivery(true)
                    .build(),
                new MailboxIdRegistrationKey(mailbox.getMailboxId())).block();
        } catch (Exception e) {
            // The message is stored; a listener that missed it will see it on its next look.
            org.slf4j.LoggerFactory.getLogger(MailDelivery.class).warn("cannot announce delivery to {}: {}", copy.user(), e.toString());
        } finally {
            mailboxManager.endProcessingRequest(session);
        }
    }
}

package org.letterbox.store.quota;

import java.time.Instant;
import java.util.Set;

import org.apache.james.events.Event;
import org.apache.james.events.EventBus;
import org.apache.james.events.EventListener;
import org.apache.james.events.Group;
import org.apache.james.mailbox.events.MailboxEvents.Added;
import org.apache.james.mailbox.events.MailboxEvents.Expunged;
import org.apache.james.mailbox.events.MailboxEvents.MailboxDeletion;
import org.apache.james.mailbox.events.MailboxEvents.MetaDataHoldingEvent;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.mailbox.quota.QuotaManager;
import org.apache.james.mailbox.quota.QuotaRootResolver;
import org.apache.james.mailbox.store.event.EventFactory;
import org.letterbox.store.events.EventIds;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;

/**
 * Keeps {@link DerivedCurrentQuotaManager}'s usage figures current from the mailbox events: messages added,
 * messages expunged, a mailbox deleted with its messages.
 *
 * <p>It takes the place of James's {@code ListeningCurrentQuotaUpdater}, which made the same changes and then raised
 * the new usage as a further event, as this does too (James's mailbox contract expects it), but with the limits
 * read on the event's own thread from their cache: James's updater looked them up through its blocking-call
 * threads for every delivered or expunged message, most of the cost of announcing a delivery.
 */
public final class QuotaUsageListener implements EventListener.ReactiveGroupEventListener {

    /** The listener's group: one per node, as the event bus requires of group listeners. */
    public static final class QuotaUsageGroup extends Group {
    }

    private static final Group GROUP = new QuotaUsageGroup();

    private final DerivedCurrentQuotaManager usage;
    private final QuotaRootResolver quotaRoots;
    private final QuotaManager quotas;
    private final EventBus eventBus;

    public QuotaUsageListener(DerivedCurrentQuotaManager usage, QuotaRootResolver quotaRoots, QuotaManager quotas,
                              EventBus eventBus) {
        this.usage = usage;
        this.quotaRoots = quotaRoots;
        this.quotas = quotas;
        this.eventBus = eventBus;
    }

    @Override
    public Group getDefaultGroup() {
        return GROUP;
    }

    @Override
    public boolean isHandling(Event event) {
        return event instanceof Added || event instanceof Expunged || event instanceof MailboxDeletion;
    }

    @Override
    public Publisher<Void> reactiveEvent(Event event) {
        return Mono.defer(() -> {
            try {
                return apply(event);
            } catch (MailboxException e) {
                return Mono.error(e);
            }
        });
    }

    /** Changes the usage; for messages added or expunged, announces the new usage. */
    private Mono<Void> apply(Event event) throws MailboxException {
        if (event instanceof MailboxDeletion deletion) {
            if (deletion.getDeletedMessageCount().asLong() > 0) {
                usage.recordRemoved(deletion.getQuotaRoot(), deletion.getDeletedMessageCount().asLong(),
                    deletion.getTotalDeletedSize().asLong());
            }
            return Mono.empty();
        }
        if (!(event instanceof MetaDataHoldingEvent change)) {
            return Mono.empty();
        }
        long count = change.getUids().size();
        if (count == 0) {
            return Mono.empty();
        }
        QuotaRoot root = quotaRoots.getQuotaRoot(change.getMailboxPath());
        if (change instanceof Added) {
            usage.recordAdded(root, count, size(change));
        } else {
            usage.recordRemoved(root, count, size(change));
        }
        QuotaManager.Quotas now = quotas.getQuotas(root);
        return eventBus.dispatch(EventFactory.quotaUpdated()
            .eventId(EventIds.next())
            .user(change.getUsername())
            .quotaRoot(root)
            .quotaCount(now.getMessageQuota())
            .quotaSize(now.getStorageQuota())
            .instant(Instant.now())
            .build(), Set.of());
    }

    private static long size(MetaDataHoldingEvent event) {
        return event.getUids().stream().mapToLong(uid -> event.getMetaData(uid).getSize()).sum();
    }
}

package org.letterbox.store.quota;

import org.apache.james.events.Event;
import org.apache.james.events.EventListener;
import org.apache.james.events.Group;
import org.apache.james.mailbox.events.MailboxEvents.Added;
import org.apache.james.mailbox.events.MailboxEvents.Expunged;
import org.apache.james.mailbox.events.MailboxEvents.MailboxDeletion;
import org.apache.james.mailbox.events.MailboxEvents.MetaDataHoldingEvent;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.mailbox.quota.QuotaRootResolver;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;

/**
 * Keeps {@link DerivedCurrentQuotaManager}'s usage figures current from the mailbox events: messages added,
 * messages expunged, a mailbox deleted with its messages.
 *
 * <p>It takes the place of James's {@code ListeningCurrentQuotaUpdater}, which made the same changes and then, for
 * every delivered or expunged message, looked the limits up on another thread and raised a further event with the
 * new usage. Nothing here listens to that event, and the hand-offs were most of the cost of announcing a delivery.
 */
public final class QuotaUsageListener implements EventListener.ReactiveGroupEventListener {

    /** The listener's group: one per node, as the event bus requires of group listeners. */
    public static final class QuotaUsageGroup extends Group {
    }

    private static final Group GROUP = new QuotaUsageGroup();

    private final DerivedCurrentQuotaManager usage;
    private final QuotaRootResolver quotaRoots;

    public QuotaUsageListener(DerivedCurrentQuotaManager usage, QuotaRootResolver quotaRoots) {
        this.usage = usage;
        this.quotaRoots = quotaRoots;
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
        return Mono.fromRunnable(() -> apply(event));
    }

    private void apply(Event event) {
        try {
            if (event instanceof Added added) {
                usage.recordAdded(quotaRoots.getQuotaRoot(added.getMailboxPath()), count(added), size(added));
            } else if (event instanceof Expunged expunged) {
                usage.recordRemoved(quotaRoots.getQuotaRoot(expunged.getMailboxPath()), count(expunged), size(expunged));
            } else if (event instanceof MailboxDeletion deletion && deletion.getDeletedMessageCount().asLong() > 0) {
                usage.recordRemoved(deletion.getQuotaRoot(), deletion.getDeletedMessageCount().asLong(),
                    deletion.getTotalDeletedSize().asLong());
            }
        } catch (MailboxException e) {
            throw new IllegalStateException("cannot resolve the quota root of " + event.getClass().getSimpleName(), e);
        }
    }

    private static long count(MetaDataHoldingEvent event) {
        return event.getUids().size();
    }

    private static long size(MetaDataHoldingEvent event) {
        return event.getUids().stream().mapToLong(uid -> event.getMetaData(uid).getSize()).sum();
    }
}

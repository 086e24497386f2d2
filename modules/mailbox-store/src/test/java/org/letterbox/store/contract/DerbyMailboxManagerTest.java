package org.letterbox.store.contract;

import org.apache.james.events.EventBus;
import org.apache.james.mailbox.MailboxManagerTest;
import org.apache.james.mailbox.SubscriptionManager;
import org.letterbox.store.MailStore;
import org.letterbox.store.mailbox.LetterboxMailboxManager;
import org.letterbox.store.TestBackend;

/** James's MailboxManagerTest, with all its nested groups, against the Derby store. */
class DerbyMailboxManagerTest extends MailboxManagerTest<LetterboxMailboxManager> {

    private MailStore store;

    @Override
    protected LetterboxMailboxManager provideMailboxManager() {
        // The contract expects at most 3 annotations of at most 30 bytes per mailbox.
        store = backend().freshStore(backend().sharedConfig().withAnnotationLimits(3, 30), java.time.Clock.systemUTC(),
            preDeletionHooks());
        return (LetterboxMailboxManager) store.mailboxManager();
    }

    @Override
    protected SubscriptionManager provideSubscriptionManager() {
        return store.subscriptionManager();
    }

    @Override
    protected EventBus retrieveEventBus(LetterboxMailboxManager mailboxManager) {
        return store.eventBus();
    }

    /** The backend this suite runs on. */
    protected TestBackend backend() {
        return TestBackend.DERBY;
    }
}

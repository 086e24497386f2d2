package org.letterbox.store.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Set;

import javax.mail.Flags;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.model.CurrentQuotas;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.QuotaRoot;
import org.junit.jupiter.api.Test;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreFixture;
import org.letterbox.store.queue.OutboundQueue;

/**
 * A user's usage, as the quota checks and GETQUOTA see it, follows deliveries, expunges and deleted mailboxes, and
 * always equals what a store opened afresh over the same data sums from the messages.
 */
class QuotaUsageListenerTest {

    private static final String ALICE = "alice@example.test";
    private static final byte[] MESSAGE = "From: a@remote.test\r\nSubject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

    private static void deliver(MailStore store, String folder) throws Exception {
        store.delivery().deliver("a@remote.test", List.of(ALICE), folder, List.of(),
            () -> new ByteArrayInputStream(MESSAGE), MESSAGE.length, OutboundQueue.Settlement.NONE);
    }

    private static CurrentQuotas usage(MailStore store) throws Exception {
        QuotaRoot root = store.quotaRootResolver().getQuotaRoot(MailboxPath.inbox(Username.of(ALICE)));
        return reactor.core.publisher.Mono.from(store.currentQuotaManager().getCurrentQuotas(root)).block();
    }

    private static CurrentQuotas messages(long count) {
        return new CurrentQuotas(org.apache.james.core.quota.QuotaCountUsage.count(count),
            org.apache.james.core.quota.QuotaSizeUsage.size(count * MESSAGE.length));
    }

    /** A second store over the same database: nothing cached, its usage summed from the committed messages. */
    private static MailStore reopened() {
        return MailStore.over(StoreFixture.sharedConfig(), StoreFixture.database(), Clock.systemUTC(), Set.of());
    }

    private static void expungeFirst(MailStore store, String folder) throws Exception {
        MailboxSession session = store.mailboxManager().createSystemSession(Username.of(ALICE));
        MessageManager mailbox = store.mailboxManager().getMailbox(MailboxPath.forUser(Username.of(ALICE), folder), session);
        mailbox.setFlags(new Flags(Flags.Flag.DELETED), MessageManager.FlagsUpdateMode.ADD, MessageRange.one(
            org.apache.james.mailbox.MessageUid.of(1)), session);
        mailbox.expunge(MessageRange.all(), session);
    }

    @Test
    void usageFollowsDeliveriesExpungesAndADeletedMailbox() throws Exception {
        MailStore store = StoreFixture.freshStore();
        store.accounts().addDomain("example.test");
        store.createUser(ALICE, "alice-pw");
        assertThat(usage(store)).isEqualTo(messages(0));

        deliver(store, "INBOX");
        deliver(store, "INBOX");
        deliver(store, "Archive");
        deliver(store, "Archive");
        assertThat(usage(store)).isEqualTo(messages(4));

        expungeFirst(store, "INBOX");
        assertThat(usage(store)).isEqualTo(messages(3));

        MailboxSession session = store.mailboxManager().createSystemSession(Username.of(ALICE));
        store.mailboxManager().deleteMailbox(MailboxPath.forUser(Username.of(ALICE), "Archive"), session);
        assertThat(usage(store)).isEqualTo(messages(1));
        try (MailStore fresh = reopened()) {
            assertThat(usage(fresh)).isEqualTo(messages(1));
        }
    }

    @Test
    void aChangeMadeBeforeTheFirstLookUpIsCountedOnce() throws Exception {
        MailStore store = StoreFixture.freshStore();
        store.accounts().addDomain("example.test");
        store.createUser(ALICE, "alice-pw");
        deliver(store, "INBOX");
        deliver(store, "INBOX");

        try (MailStore fresh = reopened()) {
            expungeFirst(fresh, "INBOX");
            assertThat(usage(fresh)).isEqualTo(messages(1));
        }
    }
}

package org.letterbox.store.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.james.core.Username;
import org.apache.james.events.Event;
import org.apache.james.events.EventListener;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.events.MailboxEvents;
import org.apache.james.mailbox.events.MailboxIdRegistrationKey;
import org.apache.james.mailbox.model.MailboxPath;
import org.junit.jupiter.api.Test;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreFixture;
import org.letterbox.store.mailbox.StoreMailboxId;

import reactor.core.publisher.Mono;

/** Delivery into a folder: made (subscribed) when missing, found again by the next delivery, and announced to its listeners. */
class MailDeliveryTest {

    private static final byte[] MESSAGE = "From: a@remote.test\r\nSubject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

    private static MailDelivery.Result deliver(MailStore store, String folder) throws Exception {
        return store.delivery().deliver("a@remote.test", List.of("alice@example.test"), folder, List.of(),
            () -> new ByteArrayInputStream(MESSAGE), MESSAGE.length, org.letterbox.store.queue.OutboundQueue.Settlement.NONE);
    }

    @Test
    void aFolderThatDoesNotExistIsMadeSubscribedAndTheNextDeliveryFindsIt() throws Exception {
        MailStore store = StoreFixture.freshStore();
        store.accounts().addDomain("example.test");
        store.createUser("alice@example.test", "alice-pw");

        MailDelivery.Delivered first = deliver(store, "Screened").local().get(0);
        MailDelivery.Delivered second = deliver(store, "Screened").local().get(0);

        MailboxSession session = store.mailboxManager().createSystemSession(Username.of("alice@example.test"));
        MailboxPath path = MailboxPath.forUser(session.getUser(), "Screened");
        long id = ((StoreMailboxId) store.mailboxManager().getMailbox(path, session).getId()).value();
        assertThat(List.of(first.mailboxId(), second.mailboxId())).containsOnly(id);
        assertThat(List.of(first.uid(), second.uid())).containsExactly(1L, 2L);
        assertThat(store.subscriptionManager().subscriptions(session)).contains(path);
    }

    @Test
    void eachStoredCopyIsAnnouncedWithItsUidToTheMailboxsListeners() throws Exception {
        MailStore store = StoreFixture.freshStore();
        store.accounts().addDomain("example.test");
        store.createUser("alice@example.test", "alice-pw");
        long inbox = store.inbox("alice@example.test");
        List<Event> heard = new CopyOnWriteArrayList<>();
        EventListener.ReactiveEventListener listener = EventListener.wrapReactive((EventListener) heard::add);
        Mono.from(store.eventBus().register(listener, new MailboxIdRegistrationKey(StoreMailboxId.of(inbox)))).block();

        MailDelivery.Delivered stored = deliver(store, "INBOX").local().get(0);

        assertThat(stored.mailboxId()).isEqualTo(inbox);
        assertThat(heard).singleElement().isInstanceOfSatisfying(MailboxEvents.Added.class, added -> {
            assertThat(added.getMailboxId()).isEqualTo(StoreMailboxId.of(inbox));
            assertThat(added.getUids()).extracting(uid -> uid.asLong()).containsExactly(stored.uid());
            assertThat(added.isDelivery()).isTrue();
        });
    }
}

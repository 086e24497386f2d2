package org.letterbox.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.junit.jupiter.api.Test;

class ConcurrentAppendTest {

    static byte[] message(String subject) {
        return ("From: a@example.test\r\nTo: b@example.test\r\nSubject: " + subject + "\r\n\r\nbody of " + subject + "\r\n")
            .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eightThreadsAppendingToOneMailboxGetUniqueIncreasingUids() throws Exception {
        MailStore store = StoreFixture.freshStore();
        MailboxSession session = store.mailboxManager().createSystemSession(Username.of("alice@example.test"));
        MailboxPath inbox = MailboxPath.inbox(session);
        store.mailboxManager().createMailbox(inbox, session);
        MessageManager mailbox = store.mailboxManager().getMailbox(inbox, session);

        int threads = 8;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Callable<List<Long>> task = () -> {
                List<Long> uids = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    MessageManager.AppendResult result = mailbox.appendMessage(
                        MessageManager.AppendCommand.from(new org.apache.james.mailbox.model.ByteContent(message("t" + thread + "-" + i))), session);
                    uids.add(result.getId().getUid().asLong());
                }
                return uids;
            };
            futures.add(pool.submit(task));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> future : futures) {
            List<Long> uids = future.get();
            // each thread sees its own appends in increasing UID order
            assertThat(uids).isSorted();
            all.addAll(uids);
        }
        pool.shutdown();

        assertThat(all).doesNotHaveDuplicates().hasSize(threads * perThread);
        assertThat(all).allMatch(uid -> uid >= 1 && uid <= threads * perThread);
        List<MessageUid> stored = new ArrayList<>();
        mailbox.getMessages(MessageRange.all(), FetchGroup.MINIMAL, session).forEachRemaining(r -> stored.add(r.getUid()));
        assertThat(stored).hasSize(threads * perThread).isSorted();
        assertThat(mailbox.getMailboxEntity().getMailboxId()).isNotNull();
        assertThat(StoreInternals.mapperFactory(store).messageMapper().getLastUid(mailbox.getMailboxEntity()))
            .contains(MessageUid.of(threads * perThread));
    }
}

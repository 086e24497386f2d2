package org.letterbox.store.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.letterbox.store.MailStore;
import org.letterbox.store.TestBackend;
import org.letterbox.store.queue.OutboundQueue;

/**
 * Messages either side of {@link MessageContentStore#SMALL_CONTENT}, where the content stops being bound as bytes
 * and is streamed instead, come back byte for byte; a small message shorter or longer than its stated size is
 * refused, and nothing of it is stored.
 */
class MessageContentSizesTest {

    private static byte[] message(int size, char fill) {
        byte[] head = ("From: a@remote.test\r\nSubject: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[size];
        System.arraycopy(head, 0, bytes, 0, head.length);
        for (int i = head.length; i < size; i++) {
            bytes[i] = (i % 78 == 77) ? (byte) '\n' : (byte) (fill + i % 20);
        }
        return bytes;
    }

    private static MailStore storeWithAlice(TestBackend backend) throws Exception {
        MailStore store = backend.freshStore();
        store.accounts().addDomain("example.test");
        store.createUser("alice@example.test", "alice-pw");
        return store;
    }

    private static void deliver(MailStore store, byte[] bytes, long statedSize) throws Exception {
        store.delivery().deliver("a@remote.test", List.of("alice@example.test"), "INBOX", List.of(),
            () -> new ByteArrayInputStream(bytes), statedSize, OutboundQueue.Settlement.NONE);
    }

    private static List<byte[]> inbox(MailStore store) throws Exception {
        MailboxSession session = store.mailboxManager().createSystemSession(Username.of("alice@example.test"));
        MessageManager inbox = store.mailboxManager().getMailbox(MailboxPath.inbox(session), session);
        List<byte[]> contents = new ArrayList<>();
        var results = inbox.getMessages(MessageRange.all(), FetchGroup.FULL_CONTENT, session);
        while (results.hasNext()) {
            MessageResult result = results.next();
            try (var in = result.getFullContent().getInputStream()) {
                contents.add(in.readAllBytes());
            }
        }
        return contents;
    }

    @ParameterizedTest
    @EnumSource(TestBackend.class)
    void messagesEitherSideOfTheSmallContentBoundComeBackByteForByte(TestBackend backend) throws Exception {
        int bound = MessageContentStore.SMALL_CONTENT;
        List<byte[]> sent = List.of(message(bound - 1, 'a'), message(bound, 'b'), message(bound + 1, 'c'), message(3 * bound, 'd'));
        try (MailStore store = storeWithAlice(backend)) {
            for (byte[] bytes : sent) {
                deliver(store, bytes, bytes.length);
            }
            List<byte[]> stored = inbox(store);
            assertThat(stored).hasSize(sent.size());
            for (int i = 0; i < sent.size(); i++) {
                assertThat(stored.get(i)).as("message of %d bytes", sent.get(i).length).isEqualTo(sent.get(i));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestBackend.class)
    void aSmallMessageThatIsNotItsStatedSizeIsRefusedAndNothingIsStored(TestBackend backend) throws Exception {
        byte[] bytes = message(1000, 'e');
        try (MailStore store = storeWithAlice(backend)) {
            assertThatThrownBy(() -> deliver(store, bytes, bytes.length + 1)).hasMessageContaining("1001 bytes");
            assertThatThrownBy(() -> deliver(store, bytes, bytes.length - 1)).hasMessageContaining("999 bytes");
            assertThat(inbox(store)).isEmpty();
            deliver(store, bytes, bytes.length);
            assertThat(inbox(store)).singleElement().isEqualTo(bytes);
        }
    }
}

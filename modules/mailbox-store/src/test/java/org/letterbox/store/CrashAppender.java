package org.letterbox.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.model.MailboxPath;

/**
 * Child-process half of {@link CrashDurabilityTest}: appends numbered messages from several threads for ever and
 * prints {@code ACK n} once each append has returned. The parent kills it with SIGKILL mid-stream.
 */
public final class CrashAppender {

    private CrashAppender() {
    }

    /** A message whose body carries a SHA-256 of its own number, so a torn message can be recognised. */
    static byte[] message(int n) throws Exception {
        String padding = "x".repeat(3000 + (n % 7) * 100);
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(("message " + n + padding).getBytes(StandardCharsets.UTF_8)));
        return ("Subject: message " + n + "\r\nX-Digest: " + digest + "\r\n\r\nmessage " + n + padding + "\r\n")
            .getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        MailStore store = MailStore.open(StoreFixture.config(Path.of(args[0])));
        MailboxSession session = store.mailboxManager().createSystemSession(Username.of("crash@example.test"));
        MailboxPath inbox = MailboxPath.inbox(session);
        if (!reactor.core.publisher.Mono.from(store.mailboxManager().mailboxExists(inbox, session)).block()) {
            store.mailboxManager().createMailbox(inbox, session);
        }
        MessageManager mailbox = store.mailboxManager().getMailbox(inbox, session);
        System.out.println("READY");
        System.out.flush();
        AtomicInteger counter = new AtomicInteger();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                try {
                    while (true) {
                        int n = counter.incrementAndGet();
                        mailbox.appendMessage(MessageManager.AppendCommand.from(new org.apache.james.mailbox.model.ByteContent(message(n))), session);
                        synchronized (System.out) {
                            System.out.println("ACK " + n);
                            System.out.flush();
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                }
            });
            thread.start();
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}

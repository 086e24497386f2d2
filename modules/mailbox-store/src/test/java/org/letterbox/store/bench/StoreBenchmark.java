package org.letterbox.store.bench;

import org.letterbox.store.StoreInternals;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javax.mail.Flags;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.model.ByteContent;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResultIterator;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreConfig;

/**
 * Store benchmark (a main, not a test). Run it with:
 * <pre>
 * mvn -q -pl modules/mailbox-store test-compile exec:java ... or
 * java -cp "$(cat modules/mailbox-store/target/test-classpath.txt)" org.letterbox.store.bench.StoreBenchmark [bigMailboxSize]
 * </pre>
 * It prints one line per figure. Every append is durable (Derby's synced commit) before it returns.
 */
public final class StoreBenchmark {

    private StoreBenchmark() {
    }

    static byte[] message(int n) {
        StringBuilder body = new StringBuilder();
        while (body.length() < 3900) {
            body.append("Line ").append(n).append(" of a four kilobyte benchmark message body.\r\n");
        }
        return ("From: bench@example.test\r\nTo: user@example.test\r\nSubject: benchmark " + n
            + "\r\nMessage-ID: <" + n + "@bench>\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }

    public static void main(String[] args) throws Exception {
        int bigMailbox = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path dir = Files.createTempDirectory("letterbox-bench");
        try (MailStore store = MailStore.open(StoreConfig.defaults(dir))) {
            MailboxSession session = store.mailboxManager().createSystemSession(Username.of("bench@example.test"));
            appends(store, session, "one-thread", 1, 2000);
            appends(store, session, "eight-threads", 8, 4000);
            MessageManager box = mailbox(store, session, "read");
            fill(box, session, 10_000, 8);
            long t0 = System.nanoTime();
            int n = drain(box.getMessages(MessageRange.range(org.apache.james.mailbox.MessageUid.of(1),
                org.apache.james.mailbox.MessageUid.of(1000)), FetchGroup.HEADERS, session), false);
            report("read 1000 messages, headers", n, t0, "messages");
            t0 = System.nanoTime();
            n = drain(box.getMessages(MessageRange.range(org.apache.james.mailbox.MessageUid.of(1),
                org.apache.james.mailbox.MessageUid.of(1000)), FetchGroup.FULL_CONTENT, session), true);
            report("read 1000 messages, full bodies", n, t0, "messages");
            t0 = System.nanoTime();
            box.setFlags(new Flags(Flags.Flag.FLAGGED), MessageManager.FlagsUpdateMode.ADD, MessageRange.all(), session);
            report("set \\Flagged on 10,000 messages", 10_000, t0, "messages");

            MessageManager big = mailbox(store, session, "big");
            long fillStart = System.nanoTime();
            fill(big, session, bigMailbox, 8);
            report("fill a mailbox of " + bigMailbox + " (8 threads)", bigMailbox, fillStart, "appends");
            for (int round = 0; round < 3; round++) {
                t0 = System.nanoTime();
                MessageManager opened = store.mailboxManager().getMailbox(MailboxPath.forUser(session.getUser(), "big"), session);
                MessageManager.MailboxMetaData meta = opened.getMetaData(MessageManager.MailboxMetaData.RecentMode.RESET, session,
                    MessageManager.MailboxMetaData.FetchGroup.UNSEEN_COUNT);
                double ms = (System.nanoTime() - t0) / 1e6;
                System.out.printf("open (SELECT) a mailbox of %d messages: %.1f ms (exists=%d, unseen=%d)%n",
                    bigMailbox, ms, meta.getMessageCount(), meta.getUnseenCount());
            }
            System.out.printf("group commit: %d units in %d commits (%.1f units per commit)%n", StoreInternals.database(store).unitCount(),
                StoreInternals.database(store).commitCount(), (double) StoreInternals.database(store).unitCount() / StoreInternals.database(store).commitCount());
        }
    }

    private static MessageManager mailbox(MailStore store, MailboxSession session, String name) throws Exception {
        MailboxPath path = MailboxPath.forUser(session.getUser(), name);
        store.mailboxManager().createMailbox(path, session);
        return store.mailboxManager().getMailbox(path, session);
    }

    private static void appends(MailStore store, MailboxSession session, String name, int threads, int total) throws Exception {
        MessageManager box = mailbox(store, session, name);
        long t0 = System.nanoTime();
        fill(box, session, total, threads);
        report("durable 4 KB appends, " + threads + " thread(s)", total, t0, "appends");
    }

    private static void fill(MessageManager box, MailboxSession session, int total, int threads) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                int i;
                while ((i = next.incrementAndGet()) <= total) {
                    box.appendMessage(MessageManager.AppendCommand.from(new ByteContent(message(i))), session);
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
    }

    private static int drain(MessageResultIterator results, boolean body) throws Exception {
        int count = 0;
        while (results.hasNext()) {
            var result = results.next();
            if (body) {
                result.getFullContent().getInputStream().readAllBytes();
            } else {
                result.getHeaders().getInputStream().readAllBytes();
            }
            count++;
        }
        return count;
    }

    private static void report(String what, int count, long startNanos, String unit) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("%s: %d %s in %.2f s = %.0f %s/s%n", what, count, unit, seconds, count / seconds, unit);
    }
}

package org.letterbox.pop3.bench;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.model.ByteContent;
import org.apache.james.mailbox.model.MailboxPath;
import org.letterbox.pop3.Pop3Server;
import org.letterbox.pop3.Pop3Settings;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreConfig;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.LineClient;

/**
 * POP3 load run (a main, not a test): 8 concurrent clients, each on its own mailbox of 20 messages of about 20 KB,
 * repeating login, STAT, UIDL, RETR of every message and QUIT (keeping the mail) for N seconds.
 * Usage: {@code Pop3LoadRun [seconds]}. Prints sessions/s and MB/s.
 */
public final class Pop3LoadRun {

    private Pop3LoadRun() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        StringBuilder text = new StringBuilder("From: load@example.test\r\nSubject: pop3 load\r\n\r\n");
        while (text.length() < 20_000) {
            text.append("A line of a twenty kilobyte message used to measure POP3 throughput.\r\n");
        }
        byte[] message = text.toString().getBytes(StandardCharsets.US_ASCII);
        Path dir = Files.createTempDirectory("letterbox-pop3-bench");
        try (MailStore store = MailStore.open(StoreConfig.defaults(dir).withPasswordIterations(1000))) {
            store.accounts().addDomain("example.test");
            for (int u = 0; u < 8; u++) {
                String user = "user" + u + "@example.test";
                store.createUser(user, "pw");
                MailboxSession session = store.mailboxManager().createSystemSession(Username.of(user));
                MessageManager inbox = store.mailboxManager().getMailbox(MailboxPath.inbox(session), session);
                for (int i = 0; i < 20; i++) {
                    inbox.appendMessage(MessageManager.AppendCommand.from(new ByteContent(message)), session);
                }
            }
            int port = FreePort.next();
            try (Pop3Server server = Pop3Server.start(Pop3Settings.builder()
                    .address(new InetSocketAddress("127.0.0.1", port)).build(), store)) {
                AtomicLong sessions = new AtomicLong();
                AtomicLong bytes = new AtomicLong();
                long end = System.nanoTime() + seconds * 1_000_000_000L;
                ExecutorService pool = Executors.newFixedThreadPool(8);
                List<Future<?>> futures = new ArrayList<>();
                long start = System.nanoTime();
                for (int u = 0; u < 8; u++) {
                    String user = "user" + u + "@example.test";
                    futures.add(pool.submit(() -> {
                        while (System.nanoTime() < end) {
                            try (LineClient c = LineClient.connect(port)) {
                                c.readLine();
                                c.send("USER " + user);
                                c.readLine();
                                c.send("PASS pw");
                                c.readLine();
                                c.send("STAT");
                                c.readLine();
                                c.send("UIDL");
                                c.readLine();
                                while (!c.readLine().equals(".")) {
                                    // uid lines
                                }
                                for (int i = 1; i <= 20; i++) {
                                    c.send("RETR " + i);
                                    c.readLine();
                                    String line;
                                    while (!(line = c.readLine()).equals(".")) {
                                        bytes.addAndGet(line.length() + 2);
                                    }
                                }
                                c.send("QUIT");
                                c.readLine();
                                sessions.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> future : futures) {
                    future.get();
                }
                pool.shutdown();
                double elapsed = (System.nanoTime() - start) / 1e9;
                System.out.printf("POP3, 8 clients, 20 x 20 KB each: %d sessions in %.1f s = %.0f sessions/s, %.1f MB/s%n",
                    sessions.get(), elapsed, sessions.get() / elapsed, bytes.get() / elapsed / 1e6);
            }
        }
    }
}

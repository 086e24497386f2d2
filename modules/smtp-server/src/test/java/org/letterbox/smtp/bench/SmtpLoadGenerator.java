package org.letterbox.smtp.bench;

import org.letterbox.store.StoreInternals;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.letterbox.smtp.SmtpServer;
import org.letterbox.smtp.SmtpSettings;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreConfig;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.LineClient;

/**
 * SMTP load generator (a main, not a test): pushes N messages of 4 KB over C concurrent sessions, with and
 * without connection reuse, against a real MX listener over a durable store in a temporary directory.
 * Usage: {@code SmtpLoadGenerator [messagesPerRun]}. Prints messages/s and how many arrived.
 */
public final class SmtpLoadGenerator {

    private SmtpLoadGenerator() {
    }

    static final String BODY;

    static {
        StringBuilder body = new StringBuilder("From: load@remote.test\r\nTo: user@example.test\r\nSubject: load\r\n\r\n");
        while (body.length() < 4096) {
            body.append("A line of a four kilobyte message used to measure SMTP delivery throughput.\r\n");
        }
        BODY = body.toString();
    }

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Path dir = Files.createTempDirectory("letterbox-smtp-bench");
        try (MailStore store = MailStore.open(StoreConfig.defaults(dir))) {
            store.accounts().addDomain("example.test");
            store.accounts().addUser("user@example.test", "pw");
            int port = FreePort.next();
            try (SmtpServer server = SmtpServer.start(SmtpSettings.builder()
                    .address(new InetSocketAddress("127.0.0.1", port)).maxConnectionsPerIp(100).build(), store)) {
                run(store, port, 1, 200, true); // warm-up
                for (int concurrency : new int[] {1, 8, 32}) {
                    for (boolean reuse : new boolean[] {true, false}) {
                        run(store, port, concurrency, total, reuse);
                    }
                }
            }
            System.out.printf("group commit: %d units in %d commits (%.1f units per commit)%n", StoreInternals.database(store).unitCount(),
                StoreInternals.database(store).commitCount(), (double) StoreInternals.database(store).unitCount() / StoreInternals.database(store).commitCount());
        }
    }

    private static long stored(MailStore store) {
        return StoreInternals.database(store).read(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM messages")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static void run(MailStore store, int port, int concurrency, int total, boolean reuse) throws Exception {
        long before = stored(store);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger acknowledged = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            futures.add(pool.submit(() -> {
                LineClient client = null;
                try {
                    while (next.incrementAndGet() <= total) {
                        if (client == null) {
                            client = LineClient.connect(port);
                            client.readReply();
                            client.command("EHLO load.test");
                        }
                        client.command("MAIL FROM:<load@remote.test>");
                        client.command("RCPT TO:<user@example.test>");
                        client.command("DATA");
                        client.sendRaw(BODY + ".\r\n");
                        if (client.readReply().startsWith("250")) {
                            acknowledged.incrementAndGet();
                        }
                        if (!reuse) {
                            client.command("QUIT");
                            client.close();
                            client = null;
                        }
                    }
                    if (client != null) {
                        client.command("QUIT");
                        client.close();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long arrived = stored(store) - before;
        System.out.printf("C=%2d %-13s %5d messages in %6.2f s = %6.0f msgs/s; acknowledged %d, arrived %d%n", concurrency,
            reuse ? "reuse" : "new-per-msg", total, seconds, total / seconds, acknowledged.get(), arrived);
    }
}

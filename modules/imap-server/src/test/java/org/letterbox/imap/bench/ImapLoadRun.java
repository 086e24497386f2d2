package org.letterbox.imap.bench;

import org.letterbox.store.StoreInternals;
import java.lang.management.ManagementFactory;
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

import org.letterbox.imap.ImapServer;
import org.letterbox.imap.ImapSettings;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreConfig;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.ImapSteps;
import org.letterbox.testing.LineClient;

/**
 * IMAP load run (a main, not a test), against a real listener over a durable store in a temporary directory:
 * <ol>
 * <li>commands/s for 10 concurrent clients each looping over login, select, fetch headers, fetch a body, store
 * flags, append, expunge and logout;</li>
 * <li>heap used per connection with N connections logged in and in IDLE (server and clients share this JVM; the
 * clients are plain sockets).</li>
 * </ol>
 * Usage: {@code ImapLoadRun [seconds] [idleConnections] [clients]} (defaults 20, 1000, 10). Also prints where the
 * clients waited, by command, and how well the store grouped its commits.
 */
public final class ImapLoadRun {

    private ImapLoadRun() {
    }

    static final byte[] MESSAGE;

    static {
        StringBuilder text = new StringBuilder("From: load@example.test\r\nTo: user@example.test\r\nSubject: load\r\n\r\n");
        while (text.length() < 4096) {
            text.append("A line of a four kilobyte message used to measure IMAP throughput.\r\n");
        }
        MESSAGE = text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int idle = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path dir = Files.createTempDirectory("letterbox-imap-bench");
        try (MailStore store = MailStore.open(StoreConfig.defaults(dir).withPasswordIterations(1000))) {
            store.accounts().addDomain("example.test");
            for (int i = 0; i < 10; i++) {
                store.createUser("user" + i + "@example.test", "pw");
            }
            int port = FreePort.next();
            try (ImapServer server = ImapServer.start(ImapSettings.builder()
                    .address(new InetSocketAddress("127.0.0.1", port))
                    .maxConnections(idle + 100).maxConnectionsPerIp(idle + 100).maxConnectionsPerUser(idle + 100)
                    .build(), store)) {
                seed(port);
                long commits = StoreInternals.database(store).commitCount();
                long units = StoreInternals.database(store).unitCount();
                long iterations = mix(port, seconds, clients);
                System.out.printf("  store: %.1f write units and %.1f commits per iteration of 10 commands (%.2f units per commit)%n",
                    (StoreInternals.database(store).unitCount() - units) / (double) iterations,
                    (StoreInternals.database(store).commitCount() - commits) / (double) iterations,
                    (StoreInternals.database(store).unitCount() - units) / (double) (StoreInternals.database(store).commitCount() - commits));
                idleHeap(port, idle);
            }
        }
    }

    private static void seed(int port) throws Exception {
        for (int u = 0; u < 10; u++) {
            try (LineClient c = LineClient.connect(port)) {
                c.readLine();
                command(c, "l LOGIN user" + u + "@example.test pw");
                for (int i = 0; i < 20; i++) {
                    append(c, "s" + i);
                }
                command(c, "o LOGOUT");
            }
        }
    }

    private static long mix(int port, int seconds, int clients) throws Exception {
        AtomicLong commands = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int u = 0; u < clients; u++) {
            int user = u % 10;
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    try (LineClient c = LineClient.connect(port)) {
                        c.readLine();
                        command(c, "a LOGIN user" + user + "@example.test pw");
                        command(c, "b SELECT INBOX");
                        command(c, "c FETCH 1:10 (FLAGS BODY.PEEK[HEADER.FIELDS (FROM SUBJECT DATE)])");
                        command(c, "d FETCH 3 BODY.PEEK[]");
                        command(c, "e STORE 1:5 +FLAGS (\\Seen)");
                        command(c, "f STORE 1:5 -FLAGS (\\Seen)");
                        append(c, "x");
                        command(c, "h STORE * +FLAGS (\\Deleted)");
                        command(c, "i EXPUNGE");
                        command(c, "j LOGOUT");
                        commands.addAndGet(10);
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
        System.out.printf("IMAP mix, %d clients: %d commands in %.1f s = %.0f commands/s%n", clients, commands.get(), elapsed,
            commands.get() / elapsed);
        long iterations = commands.get() / 10;
        NANOS.entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> System.out.printf(
            "  %-10s %5.1f%% of client wait%n", e.getKey(),
            100.0 * e.getValue().get() / NANOS.values().stream().mapToLong(AtomicLong::get).sum()));
        return iterations;
    }

    private static void idleHeap(int port, int count) throws Exception {
        long before = usedHeapAfterGc();
        List<LineClient> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            LineClient c = LineClient.connect(port);
            c.readLine();
            command(c, "a LOGIN user" + (i % 10) + "@example.test pw");
            command(c, "b SELECT INBOX");
            c.send("i IDLE");
            c.readLine();
            clients.add(c);
        }
        long after = usedHeapAfterGc();
        System.out.printf("IDLE: %d connections, heap %.1f MB -> %.1f MB: %.1f KB per connection (server and client sockets)%n",
            count, before / 1e6, after / 1e6, (after - before) / 1024.0 / count);
        for (LineClient c : clients) {
            c.close();
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Time spent waiting for each command of the mix, by its tag letter (a = LOGIN ... j = LOGOUT, g = APPEND). */
    private static final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> NANOS = new java.util.concurrent.ConcurrentHashMap<>();

    private static void timed(String tag, long startNanos) {
        NANOS.computeIfAbsent(tag, key -> new AtomicLong()).addAndGet(System.nanoTime() - startNanos);
    }

    private static void command(LineClient c, String line) throws Exception {
        long started = System.nanoTime();
        try {
            ImapSteps.command(c, line);
        } finally {
            timed(line.substring(0, line.indexOf(' ')) + " " + line.split(" ")[1], started);
        }
    }

    private static void append(LineClient c, String subject) throws Exception {
        long started = System.nanoTime();
        try {
            ImapSteps.append(c, MESSAGE);
        } finally {
            timed("g APPEND", started);
        }
    }
}

package org.letterbox.store.bench;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.letterbox.store.MailStore;
import org.letterbox.store.StoreBackend;
import org.letterbox.store.StoreConfig;
import org.letterbox.store.StoreInternals;
import org.letterbox.store.jdbc.Database;

/**
 * Group commit, Derby beside PostgreSQL (a main, not a test): C threads deliver small messages, each durable before
 * it returns, for a few seconds at C = 1, 8 and 32; printed are messages per second and how many deliveries shared
 * each commit (one flush of the log). Arguments: {@code SECONDS [JDBC_URL USER PASSWORD]}; without the last three,
 * Derby only. {@code test-support/bench-group-commit} builds the class path and runs it against a private PostgreSQL
 * with fsync on.
 */
public final class GroupCommitBenchmark {

    private GroupCommitBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        run("derby", StoreConfig.defaults(Files.createTempDirectory("group-commit-derby")), seconds);
        if (args.length >= 4) {
            StoreConfig postgres = StoreConfig.defaults(Files.createTempDirectory("group-commit-pg"))
                .withBackend(new StoreBackend.Postgres(args[1], args[2], args[3], 10));
            run("postgresql", postgres, seconds);
        }
    }

    private static void run(String label, StoreConfig config, int seconds) throws Exception {
        try (MailStore store = MailStore.open(config.withPasswordIterations(1000))) {
            store.accounts().addDomain("example.test");
            for (int i = 0; i < 32; i++) {
                store.createUser("user" + i + "@example.test", "pw");
            }
            Database db = StoreInternals.database(store);
            byte[] message = ("From: a@remote.test\r\nSubject: group commit\r\n\r\n" + "x".repeat(2000) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
            for (int concurrency : new int[] {1, 8, 32}) {
                deliver(store, message, concurrency, 2);
                long commits = db.commitCount();
                long units = db.unitCount();
                long delivered = deliver(store, message, concurrency, seconds);
                long commitsDone = db.commitCount() - commits;
                long unitsDone = db.unitCount() - units;
                System.out.printf("RESULT %s C=%d messages/s=%.0f units/commit=%.2f%n", label, concurrency,
                    delivered / (double) seconds, unitsDone / (double) Math.max(1, commitsDone));
            }
        }
    }

    /** Deliveries made by {@code concurrency} threads in {@code seconds}, each to its own user's INBOX. */
    private static long deliver(MailStore store, byte[] message, int concurrency, int seconds) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(concurrency);
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<Long>> counts = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            String user = "user" + t + "@example.test";
            counts.add(threads.submit(() -> {
                long n = 0;
                while (!stop.get()) {
                    store.delivery().deliver("a@remote.test", List.of(user), List.of(),
                        () -> new ByteArrayInputStream(message), message.length);
                    n++;
                }
                return n;
            }));
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        long total = 0;
        for (Future<Long> count : counts) {
            total += count.get();
        }
        threads.shutdown();
        return total;
    }
}

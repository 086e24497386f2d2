package org.letterbox.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.letterbox.store.delivery.MailDelivery;
import org.letterbox.store.jdbc.Database;

/**
 * Group commit against a transaction the database itself rolls back: a delivery that waits on a row lock held
 * elsewhere times out, and Derby undoes the whole transaction, the deliveries batched before it included. None of
 * those may be reported as stored.
 */
class TransactionRollbackTest {

    private static byte[] message(String subject) {
        return ("From: a@remote.test\r\nSubject: " + subject + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private record Outcome(String messageId, Throwable failure) {
    }

    @Test
    void deliveriesInATransactionTheDatabaseRolledBackAreReportedAsFailedNotStored() throws Exception {
        MailStore store = StoreFixture.freshStore();
        store.accounts().addDomain("example.test");
        store.createUser("alice@example.test", "alice-pw");
        store.createUser("bob@example.test", "bob-pw");
        MailDelivery delivery = store.delivery();
        byte[] first = message("first");
        delivery.deliver("", List.of("alice@example.test"), List.of(), () -> new ByteArrayInputStream(first), first.length);
        Database db = StoreFixture.database();
        String url = "jdbc:derby:" + StoreFixture.sharedConfig().dataDirectory().resolve("db").toAbsolutePath();
        ExecutorService senders = Executors.newFixedThreadPool(24);
        try (Connection other = DriverManager.getConnection(url)) {
            try (Statement statement = other.createStatement()) {
                statement.execute("CALL SYSCS_UTIL.SYSCS_SET_DATABASE_PROPERTY('derby.locks.waitTimeout', '2')");
            }
            other.setAutoCommit(false);
            try (Statement lock = other.createStatement()) {
                assertThat(lock.executeUpdate("UPDATE mailboxes SET last_uid = last_uid WHERE username = 'alice@example.test'"))
                    .isPositive();
            }
            // the writer is busy while the next batch lines up: bob's deliveries, alice's (which will time out), bob's
            CompletableFuture<Void> busy = CompletableFuture.runAsync(() -> db.write(c -> {
                sleep(500);
                return null;
            }), senders);
            sleep(100);
            List<CompletableFuture<Outcome>> toBob = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                toBob.add(deliverAsync(delivery, "bob@example.test", "before " + i, senders));
            }
            sleep(100);
            CompletableFuture<Outcome> toAlice = deliverAsync(delivery, "alice@example.test", "locked", senders);
            sleep(100);
            for (int i = 0; i < 8; i++) {
                toBob.add(deliverAsync(delivery, "bob@example.test", "after " + i, senders));
            }
            busy.get(30, TimeUnit.SECONDS);
            assertThat(toAlice.get(30, TimeUnit.SECONDS).failure()).as("alice's delivery, which waited on the lock").isNotNull();
            int failed = 0;
            for (CompletableFuture<Outcome> future : toBob) {
                Outcome outcome = future.get(30, TimeUnit.SECONDS);
                if (outcome.failure() == null) {
                    assertThat(copies(db, outcome.messageId())).as("a delivery reported stored, %s", outcome.messageId()).isEqualTo(1);
                } else {
                    failed++;
                }
            }
            assertThat(failed).as("bob's deliveries batched before alice's, rolled back with it").isPositive();
            other.rollback();
            try (Statement statement = other.createStatement()) {
                other.setAutoCommit(true);
                statement.execute("CALL SYSCS_UTIL.SYSCS_SET_DATABASE_PROPERTY('derby.locks.waitTimeout', NULL)");
            }
        } finally {
            senders.shutdownNow();
        }
        byte[] after = message("after the lock");
        assertThat(delivery.deliver("", List.of("alice@example.test"), List.of(), () -> new ByteArrayInputStream(after), after.length)
            .local()).hasSize(1);
    }

    private static CompletableFuture<Outcome> deliverAsync(MailDelivery delivery, String user, String subject, ExecutorService pool) {
        byte[] bytes = message(subject);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new Outcome(delivery.deliver("", List.of(user), List.of(), () -> new ByteArrayInputStream(bytes), bytes.length)
                    .messageId(), null);
            } catch (Exception | Error e) {
                return new Outcome(null, e);
            }
        }, pool);
    }

    private static int copies(Database db, String messageId) {
        return db.read(c -> {
            try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM messages WHERE message_id = ?")) {
                count.setString(1, messageId);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    return rows.getInt(1);
                }
            }
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.letterbox.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.letterbox.store.jdbc.Database;

/**
 * A write that fails because of what an earlier write of the same group commit did (the row it meant to add is
 * already there) is reported only once that earlier write is committed: what its caller reads next agrees with the
 * failure. Before, the failure came back at once, and a concurrent login that lost the race to create the INBOX
 * could not find the INBOX it had just been told exists (found by James's MPT scripts on PostgreSQL).
 */
class GroupCommitFailureTest {

    @ParameterizedTest
    @EnumSource(TestBackend.class)
    void aWriteThatLostARaceInItsGroupIsToldOnlyWhenTheWinnerIsReadable(TestBackend backend) throws Exception {
        Database db = backend.emptyDatabase();
        CountDownLatch lined = new CountDownLatch(1);
        // the writer is busy while the two inserts line up, so that both run in the next group, winner first
        CompletableFuture<Void> busy = CompletableFuture.runAsync(() -> db.write(c -> {
            await(lined);
            return null;
        }));
        CompletableFuture<Integer> winner = CompletableFuture.supplyAsync(() -> insertDomain(db));
        Thread.sleep(100);
        CompletableFuture<Long> loserSees = CompletableFuture.supplyAsync(() -> insertDomain(db))
            .handle((inserted, failure) -> {
                assertThat(failure).as("the second insert of the same domain").isNotNull();
                return domainsNamedRace(db);
            });
        Thread.sleep(100);
        // a slow write behind them in the same group holds its commit back for a while
        CompletableFuture<Void> slow = CompletableFuture.runAsync(() -> db.write(c -> {
            sleepQuietly(500);
            return null;
        }));
        Thread.sleep(100);
        lined.countDown();
        busy.get(30, TimeUnit.SECONDS);
        assertThat(winner.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(loserSees.get(30, TimeUnit.SECONDS)).as("rows the loser reads as soon as it hears").isEqualTo(1);
        slow.get(30, TimeUnit.SECONDS);
    }

    private static int insertDomain(Database db) {
        return db.write(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO domains (name, created) VALUES ('race.test', CURRENT_TIMESTAMP)")) {
                return insert.executeUpdate();
            }
        });
    }

    private static long domainsNamedRace(Database db) {
        return db.read(c -> {
            try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM domains WHERE name = 'race.test'");
                 ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

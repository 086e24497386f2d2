package org.letterbox.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.letterbox.store.jdbc.Database;

/**
 * Derby closes the connection of a thread interrupted in the middle of a statement. A read that meets that must not
 * hand the dead connection back to the pool, where it would fail every later read ("No current connection").
 */
class InterruptedReadTest {

    private static int one(Database db) {
        return db.read(c -> {
            try (Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery("VALUES 1")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Test
    void aReadWhoseThreadIsInterruptedDoesNotPoisonThePool() throws Exception {
        Database db = StoreFixture.emptyDatabase();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < 8; i++) {
            Thread reader = new Thread(() -> {
                try {
                    db.read(c -> {
                        Thread.currentThread().interrupt();
                        try (Statement statement = c.createStatement();
                             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM sys.systables")) {
                            rs.next();
                            return rs.getInt(1);
                        }
                    });
                } catch (RuntimeException e) {
                    failure.set(e);
                }
            });
            reader.start();
            reader.join();
        }
        for (int i = 0; i < 16; i++) {
            assertThat(one(db)).as("read %d after the interrupted ones", i).isEqualTo(1);
        }
    }
}

package org.letterbox.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Clock;
import java.util.Set;

import org.apache.james.mailbox.extension.PreDeletionHook;

import org.letterbox.store.jdbc.Database;
import org.letterbox.store.jdbc.DerbyDialect;

/**
 * One real Derby database in a temporary directory per test JVM, emptied before each test. Creating a Derby
 * database costs about a second; emptying its tables costs milliseconds, which keeps the contract suites fast.
 */
public final class StoreFixture {

    /** Every table, children before parents. */
    private static final String[] TABLES = {"dkim_keys", "outbound_queue", "mailbox_keywords", "messages", "message_content", "annotations",
        "mailbox_acl", "mailboxes", "subscriptions", "quota_max", "aliases", "users", "domains"};

    private static Database shared;
    private static Path sharedDir;

    private StoreFixture() {
    }

    /** A fast configuration for tests: few PBKDF2 iterations. */
    public static StoreConfig config(Path dir) {
        return StoreConfig.defaults(dir).withPasswordIterations(1000);
    }

    public static synchronized Database database() {
        if (shared == null) {
            try {
                sharedDir = Files.createTempDirectory("letterbox-store-test");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            shared = Database.open(new DerbyDialect(), sharedDir, 4);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> shared.close()));
        }
        return shared;
    }

    /** The shared database with every table emptied. */
    public static Database emptyDatabase() {
        Database db = database();
        db.write(c -> {
            try (Statement statement = c.createStatement()) {
                for (String table : TABLES) {
                    statement.executeUpdate("DELETE FROM " + table);
                }
            }
            return null;
        });
        return db;
    }

    /** Fresh James wiring over the emptied shared database. */
    public static MailStore freshStore(Clock clock, Set<PreDeletionHook> hooks) {
        return freshStore(sharedConfig(), clock, hooks);
    }

    public static MailStore freshStore(StoreConfig config, Clock clock, Set<PreDeletionHook> hooks) {
        Database db = emptyDatabase();
        return MailStore.over(config, db, clock, hooks);
    }

    /** The configuration of the shared test store. */
    public static StoreConfig sharedConfig() {
        database();
        return config(sharedDir);
    }

    public static MailStore freshStore(Clock clock) {
        return freshStore(clock, Set.of());
    }

    public static MailStore freshStore() {
        return freshStore(Clock.systemUTC());
    }
}

package org.letterbox.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Clock;
import java.util.Set;

import org.apache.james.mailbox.extension.PreDeletionHook;
import org.letterbox.store.jdbc.Database;
import org.letterbox.testing.TestPostgres;

/**
 * The two store backends as the tests use them: one real database per backend and test JVM, emptied before each
 * test (creating one costs a second or more; emptying its tables, milliseconds). Derby lives in a temporary
 * directory; PostgreSQL is a fresh database of the test server ({@link TestPostgres}).
 */
public enum TestBackend {
    DERBY,
    POSTGRES;

    /** Every table, children before parents. */
    private static final String[] TABLES = {"session_leases", "store_events", "nodes", "dkim_keys", "outbound_queue", "mailbox_keywords", "messages", "message_content",
        "annotations", "mailbox_acl", "mailboxes", "subscriptions", "quota_max", "aliases", "users", "domains"};

    private Database shared;
    private StoreConfig sharedConfig;

    /** A configuration for a new store of this backend in {@code dir}: few PBKDF2 iterations, for speed. */
    public StoreConfig config(Path dir) {
        StoreConfig config = StoreConfig.defaults(dir).withPasswordIterations(1000);
        if (this == POSTGRES) {
            TestPostgres.Login login = TestPostgres.newDatabase();
            config = config.withBackend(new StoreBackend.Postgres(login.jdbcUrl(), login.user(), login.password(), 6));
        }
        return config;
    }

    /** The shared database of this backend, opened at the first call. */
    public synchronized Database database() {
        if (shared == null) {
            try {
                sharedConfig = config(Files.createTempDirectory("letterbox-store-test"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            shared = MailStore.openDatabase(sharedConfig);
            Database opened = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(opened::close));
        }
        return shared;
    }

    /** The configuration of the shared database. */
    public StoreConfig sharedConfig() {
        database();
        return sharedConfig;
    }

    /** The shared database with every table emptied. */
    public Database emptyDatabase() {
        Database db = database();
        db.write(c -> {
            try (Statement statement = c.createStatement()) {
                if (this == POSTGRES) {
                    statement.executeUpdate("TRUNCATE TABLE " + String.join(", ", TABLES) + " CASCADE");
                } else {
                    for (String table : TABLES) {
                        statement.executeUpdate("DELETE FROM " + table);
                    }
                }
            }
            return null;
        });
        return db;
    }

    /** Fresh James wiring over the emptied shared database. */
    public MailStore freshStore(StoreConfig config, Clock clock, Set<PreDeletionHook> hooks) {
        return MailStore.over(config, emptyDatabase(), clock, hooks);
    }

    public MailStore freshStore() {
        return freshStore(sharedConfig(), Clock.systemUTC(), Set.of());
    }
}

package org.letterbox.store;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;

import org.apache.james.mailbox.extension.PreDeletionHook;

import org.letterbox.store.jdbc.Database;

/** The Derby backend's shared test database, for the many tests that run on the default backend only. */
public final class StoreFixture {

    private StoreFixture() {
    }

    /** A fast configuration for tests: few PBKDF2 iterations. */
    public static StoreConfig config(Path dir) {
        return TestBackend.DERBY.config(dir);
    }

    public static Database database() {
        return TestBackend.DERBY.database();
    }

    /** The shared database with every table emptied. */
    public static Database emptyDatabase() {
        return TestBackend.DERBY.emptyDatabase();
    }

    /** Fresh James wiring over the emptied shared database. */
    public static MailStore freshStore(Clock clock, Set<PreDeletionHook> hooks) {
        return freshStore(sharedConfig(), clock, hooks);
    }

    public static MailStore freshStore(StoreConfig config, Clock clock, Set<PreDeletionHook> hooks) {
        return TestBackend.DERBY.freshStore(config, clock, hooks);
    }

    /** The configuration of the shared test store. */
    public static StoreConfig sharedConfig() {
        return TestBackend.DERBY.sharedConfig();
    }

    public static MailStore freshStore(Clock clock) {
        return freshStore(clock, Set.of());
    }

    public static MailStore freshStore() {
        return freshStore(Clock.systemUTC());
    }
}

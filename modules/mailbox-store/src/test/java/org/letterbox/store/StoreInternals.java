package org.letterbox.store;

import org.letterbox.store.jdbc.Database;
import org.letterbox.store.mailbox.JdbcMapperFactory;

/**
 * What tests and benchmarks of every module may reach inside a store (its JDBC layer, to break a table or count
 * commits) and production code may not: this class lives in the store's test-jar only.
 */
public final class StoreInternals {

    private StoreInternals() {
    }

    public static Database database(MailStore store) {
        return store.database();
    }

    public static JdbcMapperFactory mapperFactory(MailStore store) {
        return store.mapperFactory();
    }

    /** The sweep of unreferenced message bytes that {@link MailStore#open} starts: how many it removed. */
    public static java.util.concurrent.CompletableFuture<Integer> orphanSweep(MailStore store) {
        return store.orphanSweep();
    }
}

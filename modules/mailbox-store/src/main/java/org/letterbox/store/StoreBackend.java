package org.letterbox.store;

import java.util.Objects;

/**
 * Where the store keeps its tables: embedded Derby in the data directory (the default, one node), or a PostgreSQL
 * database that several nodes share.
 */
public sealed interface StoreBackend permits StoreBackend.Derby, StoreBackend.Postgres {

    /** Embedded Derby under the data directory; one process at a time (a lock file says so). */
    record Derby() implements StoreBackend {
    }

    /**
     * A PostgreSQL database (15 or newer) shared by every node that names it. The first node to start creates or
     * migrates the schema; the role needs to own the database, not to be a superuser.
     *
     * @param jdbcUrl  {@code jdbc:postgresql://host:port/database}
     * @param user     the role to log in as
     * @param password its password; empty when the server trusts the connection (a local socket, say)
     * @param poolSize connections this node may hold at most: one for the writer, one for store events, the rest
     *                 for reads
     */
    record Postgres(String jdbcUrl, String user, String password, int poolSize) implements StoreBackend {

        /** Fewest connections a node works with: writer, events and at least one reader. */
        public static final int MIN_POOL_SIZE = 3;

        public Postgres {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("a PostgreSQL JDBC URL starts with jdbc:postgresql: (got " + jdbcUrl + ")");
            }
            Objects.requireNonNull(user, "user");
            password = password == null ? "" : password;
            if (poolSize < MIN_POOL_SIZE) {
                throw new IllegalArgumentException("the PostgreSQL pool needs at least " + MIN_POOL_SIZE + " connections");
            }
        }

        /**
         * The URL without its parameters, for logs and errors: a parameter may carry a password
         * ({@code ?password=...}), which must not end up in a log.
         */
        public String where() {
            int parameters = jdbcUrl.indexOf('?');
            return parameters < 0 ? jdbcUrl : jdbcUrl.substring(0, parameters);
        }

        @Override
        public String toString() {
            return "Postgres[" + where() + " as " + user + ", pool " + poolSize + "]";
        }
    }
}

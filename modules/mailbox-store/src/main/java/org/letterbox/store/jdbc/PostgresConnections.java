package org.letterbox.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.letterbox.store.StoreBackend;

/**
 * A PostgreSQL database through a HikariCP pool. Every connection commits synchronously (whatever the server's
 * default), so a commit that returned is on the database's disk, and reads at READ COMMITTED.
 *
 * <p>A lock wait gives up after {@value #LOCK_TIMEOUT}: two nodes whose grouped commits take the same mailbox rows in
 * opposite orders would otherwise wait for PostgreSQL's deadlock check (a second by default). The unit that gave up
 * is run again, alone, once the units before it have committed (see {@link Database}).
 */
public final class PostgresConnections implements ConnectionSource {

    /** How long a statement waits for a row lock before the unit gives up and is retried. */
    public static final String LOCK_TIMEOUT = "100ms";

    private final HikariDataSource pool;
    private final String url;

    private PostgresConnections(HikariDataSource pool, String url) {
        this.pool = pool;
        this.url = url;
    }

    /** Opens the pool; fails at once (not at first use) when the database cannot be reached or refuses the login. */
    public static PostgresConnections open(StoreBackend.Postgres settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password().isEmpty() ? null : settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        config.setPoolName("letterbox-store");
        config.setConnectionInitSql("SET synchronous_commit = on; SET lock_timeout = '" + LOCK_TIMEOUT + "'");
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(10_000);
        config.addDataSourceProperty("ApplicationName", "letterbox");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        return new PostgresConnections(new HikariDataSource(config), settings.where());
    }

    @Override
    public Connection connect() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public boolean pooled() {
        return true;
    }

    @Override
    public String describe() {
        return "the PostgreSQL store at " + url;
    }

    @Override
    public void close() {
        pool.close();
    }
}

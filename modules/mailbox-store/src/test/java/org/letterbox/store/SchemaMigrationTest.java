package org.letterbox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.store.jdbc.DerbyDialect;
import org.letterbox.store.jdbc.SchemaMigrator;
import org.letterbox.store.jdbc.StoreException;

class SchemaMigrationTest {

    @TempDir
    Path dir;

    private int version(DerbyDialect dialect) throws Exception {
        try (Connection c = DriverManager.getConnection(dialect.jdbcUrl(dir))) {
            c.setAutoCommit(false);
            int version = new SchemaMigrator(dialect).currentVersion(c);
            c.rollback();
            return version;
        } finally {
            shutdown(dialect);
        }
    }

    private void shutdown(DerbyDialect dialect) {
        try {
            DriverManager.getConnection(dialect.shutdownUrl(dir)).close();
        } catch (java.sql.SQLException expected) {
            // Derby signals a clean shutdown with an exception
        }
    }

    @Test
    void migrationsCreateTheSchemaOnAnEmptyStore() throws Exception {
        try (MailStore store = MailStore.open(StoreFixture.config(dir))) {
            store.accounts().addDomain("example.test");
        }
        assertThat(version(new DerbyDialect())).isEqualTo(new DerbyDialect().latestVersion());
    }

    @Test
    void reopeningAnExistingStoreKeepsItsDataAndVersion() throws Exception {
        try (MailStore store = MailStore.open(StoreFixture.config(dir))) {
            store.accounts().addDomain("example.test");
            store.accounts().addUser("alice@example.test", "pw");
        }
        try (MailStore store = MailStore.open(StoreFixture.config(dir))) {
            assertThat(store.accounts().listDomains()).containsExactly("example.test");
            assertThat(store.credentials().verifyNow("alice@example.test", "pw")).contains("alice@example.test");
        }
        assertThat(version(new DerbyDialect())).isEqualTo(new DerbyDialect().latestVersion());
    }

    @Test
    void aStoreAtAnOlderVersionIsUpgradedInPlace() throws Exception {
        // A dialect that knows one more migration than the current code: the store is "old" for it.
        DerbyDialect current = new DerbyDialect();
        try (MailStore store = MailStore.open(StoreFixture.config(dir))) {
            store.accounts().addDomain("example.test");
        }
        DerbyDialect newer = new DerbyDialect() {
            @Override
            public int latestVersion() {
                return current.latestVersion() + 1;
            }

            @Override
            public java.util.List<String> migration(int version) {
                return version <= current.latestVersion() ? current.migration(version)
                    : java.util.List.of("CREATE TABLE upgrade_marker (id INT)");
            }
        };
        try (Connection c = DriverManager.getConnection(newer.jdbcUrl(dir))) {
            c.setAutoCommit(false);
            new SchemaMigrator(newer).migrate(c);
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT COUNT(*) FROM upgrade_marker").close();
                var rs = s.executeQuery("SELECT name FROM domains");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("example.test");
            }
            assertThat(new SchemaMigrator(newer).currentVersion(c)).isEqualTo(current.latestVersion() + 1);
            c.commit();
        } finally {
            shutdown(current);
        }
    }

    @Test
    void aStoreWrittenByANewerLetterboxIsRefusedWithAClearMessage() throws Exception {
        try (MailStore store = MailStore.open(StoreFixture.config(dir))) {
            store.accounts().addDomain("example.test");
        }
        DerbyDialect dialect = new DerbyDialect();
        try (Connection c = DriverManager.getConnection(dialect.jdbcUrl(dir)); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO schema_version (version, applied) VALUES (999, CURRENT_TIMESTAMP)");
        } finally {
            shutdown(dialect);
        }
        assertThatThrownBy(() -> MailStore.open(StoreFixture.config(dir)))
            .isInstanceOf(StoreException.class)
            .hasMessageContaining("schema version 999")
            .hasMessageContaining("newer Letterbox");
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefused() {
        try (MailStore first = MailStore.open(StoreFixture.config(dir))) {
            assertThatThrownBy(() -> MailStore.open(StoreFixture.config(dir)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("already in use");
        }
    }
}

package org.letterbox.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Message bytes that no message row refers to are removed once the store has opened, off the start's path. */
class OrphanSweepTest {

    @TempDir
    Path dir;

    private static long contentRows(MailStore store) {
        return StoreInternals.database(store).read(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM message_content")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void unreferencedContentIsSweptAfterTheStoreOpens() {
        try (MailStore store = MailStore.open(StoreFixture.config(dir))) {
            assertThat(StoreInternals.orphanSweep(store).join()).isZero();
            StoreInternals.database(store).write(c -> {
                try (var insert = c.prepareStatement("INSERT INTO message_content"
                        + " (message_id, size, body_start, content) VALUES ('orphan', 3, 0, ?)")) {
                    insert.setBytes(1, new byte[] {'a', 'b', 'c'});
                    return insert.executeUpdate();
                }
            });
            assertThat(contentRows(store)).isEqualTo(1);
        }
        try (MailStore store = MailStore.open(StoreFixture.config(dir))) {
            assertThat(StoreInternals.orphanSweep(store).join()).isEqualTo(1);
            assertThat(contentRows(store)).isZero();
        }
    }
}

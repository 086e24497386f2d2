package org.letterbox.smtp;

import org.letterbox.store.StoreInternals;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.LineClient;

/** When the store cannot take the message, the client hears 451 and no recipient has a copy. */
class SmtpStoreFailureTest {

    private SmtpFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new SmtpFixture();
    }

    @AfterEach
    void tearDown() {
        StoreInternals.database(fixture.store).write(c -> {
            try (var s = c.createStatement()) {
                s.execute("RENAME TABLE queue_offline TO outbound_queue");
            } catch (java.sql.SQLException alreadyBack) {
                // the test put it back itself
            }
            return null;
        });
        fixture.close();
    }

    @Test
    void aStoreFailureGives451AndNoHalfDeliveredCopy() throws Exception {
        int port = fixture.startSubmission();
        // Take the outbound queue away: local delivery would succeed, queueing the remote copy fails.
        StoreInternals.database(fixture.store).write(c -> {
            try (var s = c.createStatement()) {
                s.execute("RENAME TABLE outbound_queue TO queue_offline");
            }
            return null;
        });
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO client.test");
            c.command("AUTH PLAIN " + Base64.getEncoder().encodeToString("\0alice@example.test\0alice-pw".getBytes()));
            c.command("MAIL FROM:<alice@example.test>");
            assertThat(c.command("RCPT TO:<bob@example.test>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<friend@remote.test>")).startsWith("250 ");
            c.command("DATA");
            c.send("Subject: doomed").send("").send("x").send(".");
            assertThat(c.readReply()).startsWith("451 4.3.0");
            assertThat(c.command("NOOP")).startsWith("250 ");
        }
        assertThat(fixture.inbox("bob@example.test")).isEmpty();
        long content = StoreInternals.database(fixture.store).read(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM message_content")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(content).isZero();
    }
}

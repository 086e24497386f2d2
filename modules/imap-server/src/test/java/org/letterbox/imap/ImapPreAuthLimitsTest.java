package org.letterbox.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a client that has not logged in may cost: small literals only, no COMPRESS, a short idle timer. */
@Tag("slow")
class ImapPreAuthLimitsTest {

    private static ImapFixture fixture;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        fixture = new ImapFixture();
        port = fixture.start(b -> b.preAuthIdleTimeout(Duration.ofSeconds(10)));
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void aSynchronizingLiteralOverEightKilobytesBeforeLoginIsRefusedWithoutAnInvitation() throws Exception {
        try (ImapClient c = ImapClient.connect(port)) {
            c.raw().send("a LOGIN {200000000}");
            assertThat(c.raw().readLine()).isEqualTo("a BAD Literal too large before login");
            c.raw().send("b LOGIN {8193}");
            assertThat(c.raw().readLine()).isEqualTo("b BAD Literal too large before login");
            assertThat(c.commandWithLiteral("LOGIN ", "alice@example.test".getBytes(), " alice-pw"))
                .last().isEqualTo("a1 OK LOGIN completed.");
        }
    }

    @Test
    void aNonSynchronizingLiteralOverTheLimitBeforeLoginIsAnsweredAndTheConnectionEndsUnread() throws Exception {
        try (ImapClient c = ImapClient.connect(port)) {
            c.raw().sendRaw("a LOGIN {200000000+}\r\n");
            c.raw().sendBytes(new byte[256 * 1024]);
            assertThat(c.raw().readLine()).isEqualTo("a BAD Literal too large before login");
            assertThat(c.raw().readLine()).isEqualTo("* BYE Literal too large before login");
            assertThat(c.raw().readLine()).isNull();
        }
        try (ImapClient c = ImapClient.connect(port)) {
            assertThat(ImapClient.tagged(c.login("alice@example.test", "alice-pw"))).isEqualTo("a1 OK LOGIN completed.");
        }
    }

    @Test
    void compressBeforeLoginIsRefusedAndAfterLoginAccepted() throws Exception {
        try (ImapClient c = ImapClient.connect(port)) {
            assertThat(c.command("COMPRESS DEFLATE")).containsExactly("a1 BAD COMPRESS only after login");
            assertThat(ImapClient.tagged(c.login("alice@example.test", "alice-pw"))).isEqualTo("a2 OK LOGIN completed.");
            assertThat(c.command("COMPRESS DEFLATE")).containsExactly("a3 OK COMPRESS DEFLATE active");
        }
    }

    @Test
    void aConnectionThatDoesNotLogInIsClosedAfterThePreAuthTimeoutAndALoggedInOneIsNot() throws Exception {
        try (ImapClient idle = ImapClient.connect(port); ImapClient loggedIn = ImapClient.connect(port)) {
            assertThat(ImapClient.tagged(loggedIn.login("alice@example.test", "alice-pw"))).isEqualTo("a1 OK LOGIN completed.");
            idle.raw().timeout(20_000);
            long start = System.nanoTime();
            assertThat(idle.raw().readLine()).isEqualTo("* BYE Autologout; no login in time");
            assertThat(idle.raw().readLine()).isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(15));
            assertThat(loggedIn.command("NOOP")).containsExactly("a2 OK NOOP completed.");
        }
    }

    @Test
    void anAddressMayHoldOnlyAFewConnectionsThatHaveNotLoggedIn() throws Exception {
        int strict = fixture.start(b -> b.trustedNetworks(org.letterbox.net.TrustedNetworks.of(java.util.List.of()))
            .maxPreAuthConnectionsPerIp(3));
        try (ImapClient one = ImapClient.connect(strict); ImapClient two = ImapClient.connect(strict);
             ImapClient three = ImapClient.connect(strict)) {
            assertThat(one.greeting).startsWith("* OK");
            try (org.letterbox.testing.LineClient fourth = org.letterbox.testing.LineClient.connect(strict)) {
                assertThat(fourth.readLine()).isEqualTo("* BYE Too many connections not logged in from your address, try again later");
                assertThat(fourth.readLine()).isNull();
            }
            assertThat(ImapClient.tagged(one.login("alice@example.test", "alice-pw"))).isEqualTo("a1 OK LOGIN completed.");
            try (ImapClient fourth = ImapClient.connect(strict)) {
                assertThat(fourth.greeting).startsWith("* OK");
            }
        }
    }
}

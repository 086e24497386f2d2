package org.letterbox.pop3;

import org.letterbox.store.StoreInternals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.model.ByteContent;
import org.apache.james.mailbox.model.MailboxPath;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.net.login.LoginGuard;
import org.letterbox.testing.LineClient;

/** Large maildrops, connection limits, the inactivity floor and the failed-login delay. */
@Tag("slow")
class Pop3LimitsTest {

    private Pop3Fixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new Pop3Fixture();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void statListAndUidlOnTenThousandMessagesReadNoMessageBytes() throws Exception {
        MailboxSession session = fixture.store.mailboxManager().createSystemSession(Username.of("alice@example.test"));
        MessageManager inbox = fixture.store.mailboxManager().getMailbox(MailboxPath.inbox(session), session);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = thread; i < 10_000; i += 8) {
                    inbox.appendMessage(MessageManager.AppendCommand.from(new ByteContent(Pop3Fixture.message("m" + i))), session);
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        int port = fixture.start();
        long readsBefore = StoreInternals.database(fixture.store).contentReadCount();
        try (LineClient c = Pop3Fixture.loggedIn(port)) {
            c.send("STAT");
            assertThat(c.readLine()).startsWith("+OK 10000 ");
            c.send("LIST");
            c.readLine();
            assertThat(Pop3Fixture.multiline(c)).hasSize(10_000);
            c.send("UIDL");
            c.readLine();
            assertThat(Pop3Fixture.multiline(c)).hasSize(10_000);
            assertThat(StoreInternals.database(fixture.store).contentReadCount()).isEqualTo(readsBefore);
            c.send("RETR 10000");
            assertThat(c.readLine()).startsWith("+OK");
            Pop3Fixture.multiline(c);
            assertThat(StoreInternals.database(fixture.store).contentReadCount()).isEqualTo(readsBefore + 1);
        }
    }

    @Test
    void connectionsPerIpAreLimitedOutsideTheTrustedNetworks() throws Exception {
        int port = fixture.start(b -> b.maxConnections(100, 1).trustedNetworks(org.letterbox.net.TrustedNetworks.of(java.util.List.of())));
        try (LineClient first = LineClient.connect(port)) {
            assertThat(first.readLine()).startsWith("+OK");
            try (LineClient second = LineClient.connect(port)) {
                assertThat(second.readLine()).startsWith("-ERR [SYS/TEMP]");
                assertThat(second.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void theInactivityTimeoutCannotBeSetBelowTenMinutes() {
        assertThatThrownBy(() -> Pop3Settings.builder().idleTimeout(Duration.ofMinutes(9)).build())
            .hasMessageContaining("at least 10 minutes");
        assertThat(Pop3Settings.builder().build().idleTimeout()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aFailedLoginIsAnsweredAfterTheDelay() throws Exception {
        int port = fixture.start(b -> b.failedLoginDelay(Duration.ofMillis(500)));
        try (LineClient c = LineClient.connect(port)) {
            c.readLine();
            c.send("USER alice@example.test");
            c.readLine();
            long start = System.nanoTime();
            c.send("PASS wrong");
            assertThat(c.readLine()).startsWith("-ERR [AUTH]");
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(500);
            c.send("USER alice@example.test");
            c.readLine();
            c.send("PASS alice-pw");
            assertThat(c.readLine()).startsWith("+OK");
        }
    }

    @Test
    void theThirdFailedPassOnAConnectionClosesIt() throws Exception {
        int port = fixture.start(b -> b.failedLoginDelay(Duration.ofMillis(10)));
        try (LineClient c = LineClient.connect(port)) {
            c.readLine();
            for (int i = 1; i <= 2; i++) {
                c.send("USER alice@example.test");
                assertThat(c.readLine()).startsWith("+OK");
                c.send("PASS wrong");
                assertThat(c.readLine()).isEqualTo("-ERR [AUTH] Authentication failed");
            }
            c.send("USER alice@example.test");
            c.readLine();
            c.send("PASS wrong");
            assertThat(c.readLine()).isEqualTo("-ERR [AUTH] Authentication failed, too many failures: closing");
            assertThat(c.readLine()).isNull();
        }
    }

    @Test
    void aFailedLoginsDelayHoldsNoThreadThatOtherSessionsNeed() throws Exception {
        int port = fixture.start(b -> b.protocolThreads(1).failedLoginDelay(Duration.ofSeconds(3)));
        try (LineClient failing = LineClient.connect(port); LineClient other = LineClient.connect(port)) {
            failing.readLine();
            other.readLine();
            failing.send("USER alice@example.test");
            failing.readLine();
            long start = System.nanoTime();
            failing.send("PASS wrong");
            Thread.sleep(200);
            other.send("USER alice@example.test");
            assertThat(other.readLine()).startsWith("+OK");
            other.send("PASS alice-pw");
            assertThat(other.readLine()).startsWith("+OK");
            assertThat((System.nanoTime() - start) / 1_000_000).as("the other login, in ms").isLessThan(2_500);
            assertThat(failing.readLine()).isEqualTo("-ERR [AUTH] Authentication failed");
            assertThat((System.nanoTime() - start) / 1_000_000).as("the failure's answer, in ms").isGreaterThanOrEqualTo(3_000);
        }
    }

    @Test
    void aNetworkBlockedByTheGuardIsRefusedEvenWithTheRightPassword() throws Exception {
        LoginGuard guard = new LoginGuard(new LoginGuard.Settings(3, Duration.ofMinutes(5), Duration.ofSeconds(30), 50,
            Duration.ofHours(1), 1_000));
        int port = fixture.start(b -> b.failedLoginDelay(Duration.ofMillis(10)).loginGuard(guard).maxFailedLoginsPerConnection(10));
        try (LineClient c = LineClient.connect(port)) {
            c.readLine();
            for (int i = 0; i < 3; i++) {
                c.send("USER alice@example.test");
                c.readLine();
                c.send("PASS wrong");
                assertThat(c.readLine()).isEqualTo("-ERR [AUTH] Authentication failed");
            }
            c.send("USER alice@example.test");
            c.readLine();
            c.send("PASS alice-pw");
            assertThat(c.readLine()).isEqualTo("-ERR [SYS/TEMP] Too many failed logins, try again later");
        }
    }

    @Test
    void aConnectionThatDoesNotLogInIsClosedAfterThePreAuthTimeoutAndALoggedInOneIsNot() throws Exception {
        int port = fixture.start(b -> b.preAuthIdleTimeout(Duration.ofSeconds(10)));
        try (LineClient idle = LineClient.connect(port); LineClient loggedIn = LineClient.connect(port)) {
            idle.readLine();
            loggedIn.readLine();
            loggedIn.send("USER alice@example.test");
            loggedIn.readLine();
            loggedIn.send("PASS alice-pw");
            assertThat(loggedIn.readLine()).startsWith("+OK");
            idle.timeout(20_000);
            long start = System.nanoTime();
            assertThat(idle.readLine()).isEqualTo("-ERR Autologout; no login in time");
            assertThat(idle.readLine()).isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(15));
            loggedIn.send("NOOP");
            assertThat(loggedIn.readLine()).startsWith("+OK");
        }
    }

    @Test
    void anAddressMayHoldOnlyAFewConnectionsThatHaveNotLoggedIn() throws Exception {
        int port = fixture.start(b -> b.trustedNetworks(org.letterbox.net.TrustedNetworks.of(java.util.List.of()))
            .maxPreAuthConnectionsPerIp(3));
        try (LineClient one = LineClient.connect(port); LineClient two = LineClient.connect(port);
             LineClient three = LineClient.connect(port)) {
            assertThat(one.readLine()).startsWith("+OK");
            two.readLine();
            three.readLine();
            try (LineClient fourth = LineClient.connect(port)) {
                assertThat(fourth.readLine()).isEqualTo("-ERR [SYS/TEMP] Too many connections not logged in from your address, try again later");
                assertThat(fourth.readLine()).isNull();
            }
            one.send("USER alice@example.test");
            one.readLine();
            one.send("PASS alice-pw");
            assertThat(one.readLine()).startsWith("+OK");
            one.send("NOOP");
            assertThat(one.readLine()).startsWith("+OK");
            try (LineClient fourth = LineClient.connect(port)) {
                assertThat(fourth.readLine()).startsWith("+OK");
            }
        }
    }
}

package org.letterbox.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * Logins as mail clients make them: every SASL form, many at once (Thunderbird reconnecting four accounts after a
 * network change), each answered with exactly one tagged OK and the session usable at once.
 */
@Tag("slow")
class ImapLoginStormTest {

    private static final String[] USERS = {"alice", "bob", "carol", "dave"};

    private ImapFixture fixture;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new ImapFixture();
        fixture.store.createUser("carol@example.test", "carol-pw");
        fixture.store.createUser("dave@example.test", "dave-pw");
        // a failed login would be delayed by this long: a correct one must never be
        port = fixture.start(b -> b.failedLoginDelay(java.time.Duration.ofSeconds(5)));
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** One connection's login in the given form; returns the tagged line. */
    private static String logIn(ImapClient c, int form, String user, String password) throws Exception {
        return switch (form) {
            case 0 -> ImapClient.tagged(c.login(user, password));
            case 1 -> ImapClient.tagged(c.command("AUTHENTICATE PLAIN " + plain(user, password)));
            default -> {
                c.raw().send("a1 AUTHENTICATE PLAIN");
                assertThat(c.raw().readLine()).isEqualTo("+ ");
                c.raw().send(plain(user, password));
                yield ImapClient.tagged(c.readUntilTagged("a1"));
            }
        };
    }

    @Test
    void fortyConnectionsOfFourAccountsLoggingInTogetherAreAllAnsweredThreeRoundsRunning() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(40);
        try {
            for (int round = 0; round < 3; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<List<String>>> sessions = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    String user = USERS[i % 4] + "@example.test";
                    String password = USERS[i % 4] + "-pw";
                    int form = (i / 4) % 3;
                    sessions.add(pool.submit(() -> {
                        start.await();
                        try (ImapClient c = ImapClient.connect(port)) {
                            c.raw().timeout(20_000);
                            String loggedIn = logIn(c, form, user, password);
                            String selected = ImapClient.tagged(c.command("SELECT INBOX"));
                            String out = ImapClient.tagged(c.command("LOGOUT"));
                            return List.of(loggedIn, selected, out);
                        }
                    }));
                }
                start.countDown();
                for (int i = 0; i < sessions.size(); i++) {
                    int form = (i / 4) % 3;
                    String command = form == 0 ? "LOGIN" : "AUTHENTICATE";
                    assertThat(sessions.get(i).get(30, TimeUnit.SECONDS)).as("round %d, connection %d", round, i)
                        .containsExactly("a1 OK " + command + " completed.",
                            form == 2 ? "a1 OK [READ-WRITE] SELECT completed." : "a2 OK [READ-WRITE] SELECT completed.",
                            form == 2 ? "a2 OK LOGOUT completed." : "a3 OK LOGOUT completed.");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aThousandTwoStepLoginsInARowEachSeeOneContinuationAndTheirNextCommandAnsweredAlone() throws Exception {
        // The continuation used to be flushed on two threads at once now and then (about 1 login in 400 with Angus
        // Mail): the client saw "+ " twice, sent its credentials twice, and the second copy was read as a command.
        for (int i = 0; i < 1000; i++) {
            try (ImapClient c = ImapClient.connect(port)) {
                c.raw().send("a1 AUTHENTICATE PLAIN");
                assertThat(c.raw().readLine()).isEqualTo("+ ");
                c.raw().send(plain("alice@example.test", "alice-pw"));
                assertThat(c.readUntilTagged("a1")).as("login %d", i).containsExactly("a1 OK AUTHENTICATE completed.");
                c.raw().send("a2 NOOP");
                assertThat(c.readUntilTagged("a2")).as("login %d", i).containsExactly("a2 OK NOOP completed.");
            }
        }
    }

    @Test
    void twoThousandSessionsOnSixteenThreadsEndingInLogoutRightAfterSelectEachGetTheirByeAndOkBeforeTheClose() throws Exception {
        // LOGOUT used to set the session's state before its replies were written, and the completion of the SELECT
        // before it (whose reply had already let the client send LOGOUT) could then close the connection first:
        // about 1 session in 3,000 on 16 threads got nothing at all.
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<List<String>>> sessions = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                String user = USERS[i % 4];
                sessions.add(pool.submit(() -> {
                    try (ImapClient c = ImapClient.connect(port)) {
                        c.login(user + "@example.test", user + "-pw");
                        c.command("SELECT INBOX");
                        c.raw().send("z LOGOUT");
                        List<String> replies = new ArrayList<>();
                        String line;
                        while ((line = c.raw().readLine()) != null) {
                            replies.add(line);
                        }
                        return replies;
                    }
                }));
            }
            for (int i = 0; i < sessions.size(); i++) {
                assertThat(sessions.get(i).get(60, TimeUnit.SECONDS)).as("session %d", i)
                    .containsExactly("* BYE IMAP4rev1 Server logging out", "z OK LOGOUT completed.");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** One two-step login on a fresh connection: its tagged reply, how long it took, and the auth log lines. */
    private record Attempt(String reply, long nanos, List<String> logged) {
    }

    private Attempt twoStepLogin(String user, String password) throws Exception {
        Logger auth = (Logger) LoggerFactory.getLogger("org.letterbox.auth");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        auth.addAppender(lines);
        try (ImapClient c = ImapClient.connect(port)) {
            long started = System.nanoTime();
            String reply = logIn(c, 2, user, password);
            return new Attempt(reply, System.nanoTime() - started,
                lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        } finally {
            auth.detachAppender(lines);
        }
    }

    @Test
    void aCorrectTwoStepLoginIsAnsweredAtOnceAndLoggedAsALogin() throws Exception {
        Attempt attempt = twoStepLogin("alice@example.test", "alice-pw");
        assertThat(attempt.reply()).isEqualTo("a1 OK AUTHENTICATE completed.");
        // the failed-login delay is 5 s here: an answer well within it was not delayed
        assertThat(attempt.nanos()).isLessThan(TimeUnit.SECONDS.toNanos(4));
        assertThat(attempt.logged()).containsExactly("login: ip=127.0.0.1 service=imap user=alice@example.test");
    }

    @Test
    void aWrongTwoStepLoginIsDelayedAndLoggedAsAFailureWithTheClaimedName() throws Exception {
        Attempt attempt = twoStepLogin("alice@example.test", "wrong");
        assertThat(attempt.reply()).isEqualTo("a1 NO AUTHENTICATE failed. Authentication failed.");
        assertThat(attempt.nanos()).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(5));
        assertThat(attempt.logged()).containsExactly("auth failed: ip=127.0.0.1 service=imap user=alice@example.test failures=1");
    }
}

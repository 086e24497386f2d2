package org.letterbox.delivery;

import org.letterbox.testing.FakeSmtpServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.letterbox.delivery.DeliveryHarness.ALICE;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.store.queue.OutboundQueue;

/**
 * The queue runner against scripted receiving servers: what is sent, retried, bounced and reported, with a clock
 * moved by hand so that a five-day schedule runs in seconds.
 */
class QueueDeliveryTest {

    private static final String MESSAGE = "From: alice@example.test\r\nTo: bob@remote.test\r\nSubject: hello\r\n"
        + "Message-ID: <m1@example.test>\r\n\r\nHello Bob.\r\n";

    private DeliveryHarness harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = new DeliveryHarness();
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void aQueuedMessageIsSentAtOnceAndLeavesTheQueue() throws Exception {
        FakeSmtpServer mx = harness.mx("remote.test", 10, "mx.remote.test", "127.0.0.2");
        harness.start(s -> s);
        harness.send(ALICE, "Return-Path: <alice@example.test>\r\n" + MESSAGE, "bob@remote.test", "carol@remote.test");
        harness.await(() -> harness.queue().isEmpty());
        assertThat(mx.received()).hasSize(1);
        FakeSmtpServer.Received received = mx.received().get(0);
        assertThat(received.mailFrom()).startsWith("MAIL FROM:<alice@example.test>");
        assertThat(received.rcptTo()).containsExactly("RCPT TO:<bob@remote.test>", "RCPT TO:<carol@remote.test>");
        assertThat(received.text()).isEqualTo(MESSAGE);
        assertThat(received.tls()).isTrue();
        assertThat(mx.commands()).contains("EHLO mail.example.test", "STARTTLS");
    }

    @Test
    void messagesToOneDestinationShareAConnection() throws Exception {
        FakeSmtpServer mx = harness.mx("remote.test", 10, "mx.remote.test", "127.0.0.2");
        harness.start(s -> s);
        for (int i = 0; i < 3; i++) {
            harness.send(ALICE, MESSAGE.replace("hello", "hello " + i), "bob@remote.test");
            harness.await(() -> harness.queue().isEmpty());
        }
        assertThat(mx.received()).hasSize(3);
        assertThat(mx.connections()).isEqualTo(1);
        assertThat(mx.commands().stream().filter(line -> line.startsWith("EHLO"))).hasSize(2);
        assertThat(mx.commands().stream().filter(line -> line.startsWith("MAIL FROM"))).hasSize(3);
    }

    @Test
    void aPeerWithoutPipeliningIsAskedRsetBeforeAConnectionIsUsedAgain() throws Exception {
        FakeSmtpServer mx = harness.mx("remote.test", 10, "mx.remote.test", "127.0.0.2");
        mx.extensions("8BITMIME", "SIZE 100000");
        harness.start(s -> s);
        for (int i = 0; i < 2; i++) {
            harness.send(ALICE, MESSAGE, "bob@remote.test");
            harness.await(() -> harness.queue().isEmpty());
        }
        assertThat(mx.connections()).isEqualTo(1);
        assertThat(mx.commands().stream().filter("RSET"::equals)).hasSize(1);
    }

    @Test
    void aConnectionThatDiedWhileIdleIsReplacedWithoutAFailure() throws Exception {
        FakeSmtpServer mx = harness.mx("remote.test", 10, "mx.remote.test", "127.0.0.2");
        java.util.concurrent.atomic.AtomicInteger mails = new java.util.concurrent.atomic.AtomicInteger();
        mx.replies(line -> line.startsWith("MAIL") && mails.incrementAndGet() == 2 ? FakeSmtpServer.DROP : null);
        harness.start(s -> s);
        harness.send(ALICE, MESSAGE, "bob@remote.test");
        harness.await(() -> harness.queue().isEmpty());
        harness.send(ALICE, MESSAGE, "carol@remote.test");
        harness.await(() -> harness.queue().isEmpty());
        assertThat(mx.received()).hasSize(2);
        assertThat(mx.connections()).isEqualTo(2);
    }

    @Test
    void aPausedRunnerSendsNothingUntilResumed() throws Exception {
        FakeSmtpServer mx = harness.mx("remote.test", 10, "mx.remote.test", "127.0.0.2");
        harness.start(s -> s);
        harness.await(() -> harness.delivery.pause(true));
        harness.send(ALICE, MESSAGE, "bob@remote.test");
        Thread.sleep(500);
        assertThat(mx.connections()).isZero();
        assertThat(harness.queue()).hasSize(1);
        harness.delivery.pause(false);
        harness.await(() -> harness.queue().isEmpty());
        assertThat(mx.received()).hasSize(1);
    }

    @Test
    void aTemporaryFailureIsRetriedOnTheScheduleAndThenDelivered() throws Exception {
        FakeSmtpServer mx = harness.mx("remote.test", 10, "mx.remote.test", "127.0.0.2");
        java.util.concurrent.atomic.AtomicInteger tries = new java.util.concurrent.atomic.AtomicInteger();
        mx.replies(line -> line.startsWith("RCPT") && tries.incrementAndGet() == 1 ? "451 4.3.2 try again later" : null);
        harness.start(s -> s);
        harness.send(ALICE, MESSAGE, "bob@remote.test");
        harness.await(() -> harness.queue().stream().anyMatch(entry -> entry.attempts() == 1));
        OutboundQueue.Entry deferred = harness.queue().get(0);
        assertThat(deferred.lastError()).contains("451 4.3.2 try again later");
        assertThat(deferred.nextAttempt()).isEqualTo(harness.clock.instant().plus(Duration.ofMinutes(5)));
        harness.advance(Duration.ofMinutes(4));
        Thread.sleep(300);
        assertThat(mx.received()).isEmpty();
        harness.advance(Duration.ofMinutes(1));
        harness.await(() -> harness.queue().isEmpty());
        assertThat(mx.received()).hasSize(1);
        assertThat(harness.inbox(ALICE)).isEmpty();
    }

    @Test
    void aPermanentFailureBouncesIntoTheSendersInboxAsAnRfc3464Report() throws Exception {
        FakeSmtpServer mx = harness.mx("remote.test", 10, "mx.remote.test", "127.0.0.2");
        mx.replies(line -> line.startsWith("RCPT TO:<nobody@") ? "550 5.1.1 <nobody@remote.test>: no such user" : null);
        harness.start(s -> s);
        harness.send(ALICE, MESSAGE, "bob@remote.test", "nobody@remote.test");
        harness.await(() -> harness.queue().isEmpty());
        assertThat(mx.received()).hasSize(1);
        assertThat(mx.received().get(0).rcptTo()).containsExactly("RCPT TO:<bob@remote.test>");
        List<String> inbox = harness.inbox(ALICE);
        assertThat(inbox).hasSize(1);
        DsnAssert.of(inbox.get(0))
            .isReportTo(ALICE)
            .hasRecipient("nobody@remote.test", "failed", "5.1.1")
            .hasDiagnostic("smtp; 550 5.1.1 <nobody@remote.test>: no such user")
            .hasRemoteMta("mx.remote.test")
            .returnsHeadersOf("Message-ID: <m1@example.test>");
    }

    @Test
    void aNullMxBouncesAtOnceWithoutAConnection() throws Exception {
        harness.dns.mx("nomail.test", 0, ".");
        harness.start(s -> s);
        harness.send(ALICE, MESSAGE, "someone@nomail.test");
        harness.await(() -> harness.queue().isEmpty());
        DsnAssert.of(harness.inbox(ALICE).get(0)).hasRecipient("someone@nomail.test", "failed", "5.1.10");
    }

    @Test
    void aDomainThatDoesNotExistBounces() throws Exception {
        harness.dns.a("other.test", "127.0.0.9");
        harness.start(s -> s);
        harness.send(ALICE, MESSAGE, "someone@missing.test");
        harness.await(() -> harness.queue().isEmpty());
        DsnAssert.of(harness.inbox(ALICE).get(0)).hasRecipient("someone@missing.test", "failed", "5.1.2");
    }

    @Test
    void aDnsFailureIsTemporary() throws Exception {
        harness.dns.servfail("flaky.test");
        harness.start(s -> s);
        harness.send(ALICE, MESSAGE, "someone@flaky.test");
        harness.await(() -> harness.queue().stream().anyMatch(entry -> entry.attempts() == 1));
        assertThat(harness.queue().get(0).lastError().orElseThrow()).contains("4.4.3").contains("SERVFAIL");
        assertThat(harness.inbox(ALICE)).isEmpty();
    }

    @Test
    void aMessageThatNeverGoesIsGivenUpAfterFiveDaysWithOneDelayNoticeOnTheWay() throws Exception {
        FakeSmtpServer mx = harness.mx("remote.test", 10, "mx.remote.test", "127.0.0.2");
        mx.replies(line -> line.startsWith("RCPT") ? "452 4.2.2 mailbox full" : null);
        harness.start(s -> s);
        harness.send(ALICE, MESSAGE, "bob@remote.test");
        int attempts = 1;
        harness.await(() -> harness.queue().stream().anyMatch(entry -> entry.attempts() == 1));
        while (!harness.queue().isEmpty()) {
            OutboundQueue.Entry entry = harness.queue().get(0);
            harness.advance(Duration.between(harness.clock.instant(), entry.nextAttempt()));
            int before = entry.attempts();
            harness.await(() -> harness.queue().stream().allMatch(queued -> queued.attempts() > before));
            attempts++;
            assertThat(attempts).isLessThan(40);
        }
        // at 0, 5 m, 15 m, 45 m, 1 h 45, 3 h 45, 7 h 45, then every 6 h up to 115 h 45 (18 more), and a last one at
        // the 120 h deadline, after which the message is given up on
        assertThat(attempts).isEqualTo(26);
        List<String> inbox = harness.inbox(ALICE);
        assertThat(inbox).hasSize(2);
        DsnAssert.of(inbox.get(0)).hasRecipient("bob@remote.test", "delayed", "4.2.2").hasHeader("Will-Retry-Until");
        DsnAssert.of(inbox.get(1)).hasRecipient("bob@remote.test", "failed", "4.4.7");
    }

    @Test
    void theNullSenderGetsNoReport() throws Exception {
        FakeSmtpServer mx = harness.mx("remote.test", 10, "mx.remote.test", "127.0.0.2");
        mx.replies(line -> line.startsWith("RCPT") ? "550 5.1.1 no such user" : null);
        harness.start(s -> s);
        harness.send("", MESSAGE, "bob@remote.test");
        harness.await(() -> harness.queue().isEmpty());
        assertThat(harness.inbox(ALICE)).isEmpty();
        assertThat(mx.commands()).contains("MAIL FROM:<> SIZE=" + MESSAGE.length());
    }

    @Test
    void notifyNeverMeansNoReportAndNotifySuccessMeansARelayReport() throws Exception {
        FakeSmtpServer mx = harness.mx("remote.test", 10, "mx.remote.test", "127.0.0.2");
        mx.extensions("PIPELINING", "8BITMIME");
        mx.replies(line -> line.startsWith("RCPT TO:<gone@") ? "550 5.1.1 no such user" : null);
        harness.start(s -> s);
        harness.send(ALICE, MESSAGE,
            new OutboundQueue.Recipient("gone@remote.test", dsn("NEVER")),
            new OutboundQueue.Recipient("bob@remote.test", dsn("SUCCESS")));
        harness.await(() -> harness.queue().isEmpty());
        List<String> inbox = harness.inbox(ALICE);
        assertThat(inbox).hasSize(1);
        DsnAssert.of(inbox.get(0)).hasRecipient("bob@remote.test", "relayed", "2.0.0").doesNotMention("gone@remote.test");
    }

    @Test
    void theNextMxIsTriedWhenThePreferredOneIsDown() throws Exception {
        FakeSmtpServer first = harness.mx("remote.test", 10, "mx1.remote.test", "127.0.0.2");
        FakeSmtpServer second = harness.mx("remote.test", 20, "mx2.remote.test", "127.0.0.3");
        first.greeting("421 4.3.2 closing for maintenance");
        harness.start(s -> s);
        harness.send(ALICE, MESSAGE, "bob@remote.test");
        harness.await(() -> harness.queue().isEmpty());
        assertThat(first.received()).isEmpty();
        assertThat(second.received()).hasSize(1);
    }

    @Test
    void anMxThatIsThisServerItselfIsAConfigurationErrorNotADestination() throws Exception {
        FakeSmtpServer us = harness.mx("loop.test", 10, "mx.loop.test", "127.0.0.4");
        harness.start(s -> s.selfListeners(List.of(new java.net.InetSocketAddress("127.0.0.4", harness.mxPort))));
        harness.send(ALICE, MESSAGE, "someone@loop.test");
        harness.await(() -> harness.queue().stream().anyMatch(entry -> entry.attempts() == 1));
        assertThat(harness.queue().get(0).lastError().orElseThrow()).contains("configuration error").contains("this server itself");
        assertThat(us.connections()).isZero();
    }

    @Test
    void aPeerGreetingWithOurOwnNameIsAConfigurationError() throws Exception {
        FakeSmtpServer mirror = harness.mx("mirror.test", 10, "mx.mirror.test", "127.0.0.5");
        mirror.greeting("220 mail.example.test ESMTP");
        harness.start(s -> s);
        harness.send(ALICE, MESSAGE, "someone@mirror.test");
        harness.await(() -> harness.queue().stream().anyMatch(entry -> entry.attempts() == 1));
        assertThat(harness.queue().get(0).lastError().orElseThrow()).contains("greets with our own name");
        assertThat(mirror.received()).isEmpty();
    }

    private static OutboundQueue.DsnRequest dsn(String notify) {
        return new OutboundQueue.DsnRequest(Optional.of(notify), Optional.empty(), Optional.empty(), Optional.empty());
    }
}

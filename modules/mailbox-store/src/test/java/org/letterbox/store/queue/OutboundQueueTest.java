package org.letterbox.store.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreFixture;
import org.letterbox.testing.HandClock;
import org.letterbox.store.queue.OutboundQueue.Entry;

/** The outbound queue API: what a delivery queues, claims under a lease, rescheduling, dropping with the bytes. */
class OutboundQueueTest {


    private static final byte[] MESSAGE = "From: a@example.test\r\nSubject: out\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

    /** An hour ahead, so that what the test delivers is due. */
    private final HandClock clock = new HandClock(Instant.now().plus(Duration.ofHours(1)));
    private MailStore store;
    private OutboundQueue queue;

    @BeforeEach
    void setUp() {
        store = StoreFixture.freshStore(clock);
        store.accounts().addDomain("example.test");
        store.createUser("a@example.test", "pw");
        queue = store.queue();
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private String deliver(List<String> local, List<String> remote) throws Exception {
        return store.delivery().deliver("a@example.test", local, remote, () -> new ByteArrayInputStream(MESSAGE), MESSAGE.length)
            .messageId();
    }

    @Test
    void aDeliveryQueuesOneEntryPerRemoteRecipientDueAtOnce() throws Exception {
        String id = deliver(List.of(), List.of("x@remote.test", "y@remote.test"));
        List<Entry> entries = queue.list();
        assertThat(entries).extracting(Entry::recipient).containsExactly("x@remote.test", "y@remote.test");
        assertThat(entries).allSatisfy(entry -> {
            assertThat(entry.sender()).isEqualTo("a@example.test");
            assertThat(entry.messageId()).isEqualTo(id);
            assertThat(entry.attempts()).isZero();
            assertThat(entry.lastError()).isEmpty();
            assertThat(entry.nextAttempt()).isBeforeOrEqualTo(clock.instant());
        });
        assertThat(queue.size()).isEqualTo(2);
        assertThat(store.statistics().queued()).isEqualTo(2);
    }

    @Test
    void aClaimHoldsItsEntriesUntilTheLeaseRunsOut() throws Exception {
        deliver(List.of(), List.of("x@remote.test", "y@remote.test", "z@remote.test"));
        List<Entry> first = queue.claimDue(clock.instant(), 2, Duration.ofMinutes(10));
        assertThat(first).extracting(Entry::recipient).containsExactly("x@remote.test", "y@remote.test");
        assertThat(queue.claimDue(clock.instant(), 10, Duration.ofMinutes(10))).extracting(Entry::recipient).containsExactly("z@remote.test");
        assertThat(queue.claimDue(clock.instant(), 10, Duration.ofMinutes(10))).isEmpty();
        clock.advance(Duration.ofMinutes(11));
        assertThat(queue.claimDue(clock.instant(), 10, Duration.ofMinutes(10))).extracting(Entry::recipient)
            .containsExactly("x@remote.test", "y@remote.test", "z@remote.test");
    }

    @Test
    void aRescheduledEntryCountsTheAttemptKeepsTheErrorAndWaitsItsTurn() throws Exception {
        deliver(List.of(), List.of("x@remote.test"));
        Entry entry = queue.claimDue(clock.instant(), 1, Duration.ofMinutes(10)).get(0);
        assertThat(queue.reschedule(entry.id(), clock.instant().plus(Duration.ofMinutes(30)), "451 4.7.1 try later")).isTrue();
        Entry after = queue.list().get(0);
        assertThat(after.attempts()).isEqualTo(1);
        assertThat(after.lastError()).contains("451 4.7.1 try later");
        clock.advance(Duration.ofMinutes(29));
        assertThat(queue.claimDue(clock.instant(), 1, Duration.ofMinutes(10))).isEmpty();
        clock.advance(Duration.ofMinutes(2));
        assertThat(queue.claimDue(clock.instant(), 1, Duration.ofMinutes(10))).extracting(Entry::id).containsExactly(entry.id());
        assertThat(queue.reschedule(entry.id(), clock.instant(), "x".repeat(5000))).isTrue();
        assertThat(queue.list().get(0).lastError().orElseThrow()).hasSize(2000);
    }

    @Test
    void droppingTheLastEntryOfAMessageRemovesItsBytesButNotALocalCopy() throws Exception {
        deliver(List.of(), List.of("x@remote.test", "y@remote.test"));
        deliver(List.of("a@example.test"), List.of("z@remote.test"));
        List<Entry> entries = queue.list();
        Entry x = entries.get(0);
        Entry y = entries.get(1);
        Entry z = entries.get(2);
        try (InputStream content = queue.content(x).orElseThrow()) {
            assertThat(content.readAllBytes()).isEqualTo(MESSAGE);
        }
        assertThat(queue.drop(x.id())).isTrue();
        assertThat(queue.drop(x.id())).isFalse();
        assertThat(queue.content(x)).isEmpty();
        try (InputStream content = queue.content(y).orElseThrow()) {
            assertThat(content.readAllBytes()).isEqualTo(MESSAGE);
        }
        assertThat(queue.drop(y.id())).isTrue();
        assertThat(queue.drop(z.id())).isTrue();
        assertThat(queue.list()).isEmpty();
        // the first message is gone entirely; the second still has its INBOX copy
        assertThat(store.statistics().messages()).isEqualTo(1);
        assertThat(contentRows()).isEqualTo(1);
    }

    @Test
    void aHeldEntryIsNeverClaimedUntilReleasedAndRetryMakesAnEntryDueNow() throws Exception {
        deliver(List.of(), List.of("x@remote.test", "y@remote.test"));
        Entry x = queue.list().get(0);
        Entry y = queue.list().get(1);
        assertThat(queue.hold(java.util.Optional.of(x.id()))).isEqualTo(1);
        assertThat(queue.find(x.id()).orElseThrow().held()).isTrue();
        assertThat(queue.claimDue(clock.instant(), 10, Duration.ofMinutes(10))).extracting(Entry::id).containsExactly(y.id());
        queue.reschedule(y.id(), clock.instant().plus(Duration.ofHours(2)), "421 busy");
        assertThat(queue.claimDue(clock.instant(), 10, Duration.ofMinutes(10))).isEmpty();
        assertThat(queue.retryNow(java.util.Optional.empty())).isEqualTo(2);
        assertThat(queue.claimDue(clock.instant(), 10, Duration.ofMinutes(10))).extracting(Entry::id).containsExactly(y.id());
        assertThat(queue.release(java.util.Optional.of(x.id()))).isEqualTo(1);
        assertThat(queue.claimDue(clock.instant(), 10, Duration.ofMinutes(10))).extracting(Entry::id).containsExactly(x.id());
    }

    @Test
    void claimsReleasedAtStartUpAreDueAgainAtOnce() throws Exception {
        deliver(List.of(), List.of("x@remote.test"));
        assertThat(queue.claimDue(clock.instant(), 10, Duration.ofHours(1))).hasSize(1);
        assertThat(queue.claimDue(clock.instant(), 10, Duration.ofHours(1))).isEmpty();
        assertThat(queue.nextDue().orElseThrow()).isBetween(clock.instant().plus(Duration.ofMinutes(59)),
            clock.instant().plus(Duration.ofMinutes(61)));
        assertThat(queue.releaseClaims()).isEqualTo(1);
        assertThat(queue.claimDue(clock.instant(), 10, Duration.ofHours(1))).hasSize(1);
    }

    @Test
    void dsnParametersAndSizeAreKeptWithEachEntry() throws Exception {
        OutboundQueue.DsnRequest dsn = new OutboundQueue.DsnRequest(java.util.Optional.of("SUCCESS,FAILURE"),
            java.util.Optional.of("rfc822;x@remote.test"), java.util.Optional.of("ENV1"), java.util.Optional.of("HDRS"));
        store.delivery().deliver("a@example.test", List.of(), List.of(new OutboundQueue.Recipient("x@remote.test", dsn)),
            () -> new ByteArrayInputStream(MESSAGE), MESSAGE.length, OutboundQueue.Settlement.NONE);
        Entry entry = queue.list().get(0);
        assertThat(entry.dsn()).isEqualTo(dsn);
        assertThat(entry.size()).isEqualTo(MESSAGE.length);
        assertThat(entry.domain()).isEqualTo("remote.test");
    }

    @Test
    void aReportIsStoredAndTheEntriesItSettlesAreGoneInOneUnit() throws Exception {
        deliver(List.of(), List.of("x@remote.test", "y@remote.test"));
        Entry x = queue.list().get(0);
        Entry y = queue.list().get(1);
        byte[] report = "Subject: bounce\r\n\r\nx failed\r\n".getBytes(StandardCharsets.US_ASCII);
        store.delivery().deliver("", List.of("a@example.test"), List.of(), () -> new ByteArrayInputStream(report),
            report.length, new OutboundQueue.Settlement(List.of(x.id()), List.of(y.id())));
        assertThat(queue.list()).extracting(Entry::id).containsExactly(y.id());
        assertThat(queue.list().get(0).delayNotified()).isTrue();
        assertThat(store.statistics().messages()).isEqualTo(1);
    }

    @Test
    void listenersHearOfEveryCommittedDeliveryThatQueued() throws Exception {
        java.util.concurrent.atomic.AtomicInteger heard = new java.util.concurrent.atomic.AtomicInteger();
        queue.onEnqueued(heard::incrementAndGet);
        deliver(List.of("a@example.test"), List.of());
        assertThat(heard).hasValue(0);
        deliver(List.of(), List.of("x@remote.test"));
        assertThat(heard).hasValue(1);
    }

    private long contentRows() {
        return org.letterbox.store.StoreInternals.database(store).read(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM message_content")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}

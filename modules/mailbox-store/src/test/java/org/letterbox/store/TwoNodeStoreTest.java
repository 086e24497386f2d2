package org.letterbox.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.store.delivery.MailDelivery;
import org.letterbox.store.session.SessionLeases;

/**
 * Two nodes on one PostgreSQL database, as two stores in this JVM that share nothing but the database: each has its
 * own writer, pool and caches, exactly as two Letterbox processes would.
 */
class TwoNodeStoreTest {

    @TempDir
    Path dir;

    private MailStore nodeA;
    private MailStore nodeB;

    @BeforeEach
    void startTwoNodes() {
        StoreConfig config = TestBackend.POSTGRES.config(dir.resolve("a"));
        nodeA = MailStore.open(config);
        nodeB = MailStore.open(new StoreConfig(dir.resolve("b"), config.readerConnections(), config.workerThreads(),
            config.passwordIterations(), config.plusSeparator(), config.annotationLimit(), config.annotationSizeLimit(),
            config.credentials(), config.minFreeDiskBytes(), config.backend()));
        nodeA.accounts().addDomain("example.test");
        nodeA.createUser("alice@example.test", "secret-a");
        nodeA.createUser("bob@example.test", "secret-b");
    }

    @AfterEach
    void stop() {
        nodeA.close();
        nodeB.close();
    }

    @Test
    void bothNodesDeliveringToTheSameMailboxesInOppositeOrdersGetUniqueDenseUidsAndIncreasingModSeqs() throws Exception {
        int perThread = 30;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<List<MailDelivery.Delivered>>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            MailStore node = t % 2 == 0 ? nodeA : nodeB;
            // opposite lock orders on the two mailbox rows: the way two nodes deadlock if anything does
            List<String> recipients = t % 2 == 0 ? List.of("alice@example.test", "bob@example.test")
                : List.of("bob@example.test", "alice@example.test");
            int thread = t;
            futures.add(pool.submit(() -> {
                List<MailDelivery.Delivered> delivered = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    byte[] message = message("t" + thread + "-" + i, 200);
                    delivered.addAll(node.delivery().deliver("sender@example.net", recipients, List.of(),
                        () -> new ByteArrayInputStream(message), message.length).local());
                }
                return delivered;
            }));
        }
        List<MailDelivery.Delivered> all = new ArrayList<>();
        for (Future<List<MailDelivery.Delivered>> future : futures) {
            all.addAll(future.get());
        }
        pool.shutdown();

        for (String user : List.of("alice@example.test", "bob@example.test")) {
            List<Long> uids = all.stream().filter(d -> d.user().equals(user)).map(MailDelivery.Delivered::uid).sorted().toList();
            List<Long> modSeqs = all.stream().filter(d -> d.user().equals(user)).map(MailDelivery.Delivered::modSeq).toList();
            assertThat(uids).as(user + "'s UIDs").hasSize(8 * perThread).doesNotHaveDuplicates()
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 8 * perThread).boxed().toList());
            assertThat(modSeqs).as(user + "'s mod-sequences").doesNotHaveDuplicates();
            // what both nodes read back is the same, and in UID order the mod-sequences only grow
            assertThat(storedUids(nodeA, user)).isEqualTo(uids).isEqualTo(storedUids(nodeB, user));
        }
        System.out.printf("two nodes: %d deliveries, %d unit(s) re-run after a lock conflict%n", all.size() / 2,
            StoreInternals.database(nodeA).retryCount() + StoreInternals.database(nodeB).retryCount());
    }

    @Test
    void aListenerOnOneNodeHearsOfADeliveryThroughTheOtherWithinASecond() throws Exception {
        long inbox = nodeA.inbox("alice@example.test");
        java.util.concurrent.BlockingQueue<org.apache.james.events.Event> heard = new java.util.concurrent.LinkedBlockingQueue<>();
        reactor.core.publisher.Mono.from(nodeA.eventBus().register((org.apache.james.events.EventListener) heard::add,
            new org.apache.james.mailbox.events.MailboxIdRegistrationKey(org.letterbox.store.mailbox.StoreMailboxId.of(inbox)))).block();

        byte[] message = message("news", 100);
        long sent = System.nanoTime();
        MailDelivery.Delivered copy = nodeB.delivery().deliver("sender@example.net", List.of("alice@example.test"), List.of(),
            () -> new ByteArrayInputStream(message), message.length).local().get(0);

        org.apache.james.events.Event event = heard.poll(1, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(event).isInstanceOf(org.apache.james.mailbox.events.MailboxEvents.Added.class);
        assertThat(((org.apache.james.mailbox.events.MailboxEvents.Added) event).getUids())
            .containsExactly(org.apache.james.mailbox.MessageUid.of(copy.uid()));
        System.out.printf("event crossed nodes in %.1f ms%n", (System.nanoTime() - sent) / 1e6);
        assertThat(nodeA.liveNodes()).hasSize(2);
    }

    @Test
    void usersAndPasswordsChangedOnOneNodeAreSeenOnTheOtherWithinASecond() throws Exception {
        assertThat(nodeA.accounts().userExists("carol@example.test")).isFalse();
        assertThat(nodeA.credentials().verifyNow("alice@example.test", "secret-a")).isPresent();

        nodeB.createUser("carol@example.test", "secret-c");
        nodeB.accounts().changePassword("alice@example.test", "new-secret");

        long deadline = System.nanoTime() + 1_000_000_000L;
        while (!nodeA.accounts().userExists("carol@example.test") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(nodeA.accounts().userExists("carol@example.test")).as("a user added on the other node").isTrue();
        while (nodeA.credentials().verifyNow("alice@example.test", "secret-a").isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(nodeA.credentials().verifyNow("alice@example.test", "secret-a")).as("the old password, cached before").isEmpty();
        assertThat(nodeA.credentials().verifyNow("alice@example.test", "new-secret")).isPresent();
    }

    @Test
    void eachQueuedEntryIsClaimedByOneNodeAndADeadNodesClaimIsTakenOverWhenItsLeaseRunsOut() throws Exception {
        for (int i = 0; i < 40; i++) {
            byte[] message = message("out" + i, 100);
            nodeA.delivery().deliver("alice@example.test", List.of(), List.of("r" + i + "@remote.example"),
                () -> new ByteArrayInputStream(message), message.length);
        }
        java.time.Instant now = java.time.Instant.now().plusSeconds(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<Long>>> claims = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            MailStore node = t % 2 == 0 ? nodeA : nodeB;
            claims.add(pool.submit(() -> {
                List<Long> ids = new ArrayList<>();
                for (int round = 0; round < 10; round++) {
                    node.queue().claimDue(now, 3, java.time.Duration.ofMinutes(5)).forEach(entry -> ids.add(entry.id()));
                }
                return ids;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> claim : claims) {
            all.addAll(claim.get());
        }
        pool.shutdown();
        assertThat(all).as("entries claimed").hasSize(40).doesNotHaveDuplicates();

        // node A "dies" holding its claims: node B starts (releases nothing of the others') and takes them over
        // once the lease has run out, not before
        assertThat(nodeB.queue().releaseClaims()).isZero();
        assertThat(nodeB.queue().claimDue(now.plus(java.time.Duration.ofMinutes(4)), 100, java.time.Duration.ofMinutes(5))).isEmpty();
        assertThat(nodeB.queue().claimDue(now.plus(java.time.Duration.ofMinutes(6)), 100, java.time.Duration.ofMinutes(5))).hasSize(40);
    }

    @Test
    void aMailboxRenamedAndAQuotaLimitSetOnOneNodeAreSeenOnTheOtherWithinASecond() throws Exception {
        org.apache.james.mailbox.MailboxSession onA = nodeA.mailboxManager().createSystemSession(
            org.apache.james.core.Username.of("alice@example.test"));
        org.apache.james.mailbox.MailboxSession onB = nodeB.mailboxManager().createSystemSession(
            org.apache.james.core.Username.of("alice@example.test"));
        org.apache.james.mailbox.model.MailboxPath projects = org.apache.james.mailbox.model.MailboxPath.forUser(
            onA.getUser(), "Projects");
        org.apache.james.mailbox.model.MailboxPath archive = org.apache.james.mailbox.model.MailboxPath.forUser(
            onA.getUser(), "Archive2026");
        nodeA.mailboxManager().createMailbox(projects, onA);
        // node A has the row in its cache now
        assertThat(nodeA.mailboxManager().getMailbox(projects, onA).getId()).isNotNull();

        nodeB.mailboxManager().renameMailbox(projects, archive, onB);
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (reactor.core.publisher.Mono.from(nodeA.mailboxManager().mailboxExists(projects, onA)).block()
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(reactor.core.publisher.Mono.from(nodeA.mailboxManager().mailboxExists(projects, onA)).block())
            .as("the old name on node A").isFalse();
        assertThat(reactor.core.publisher.Mono.from(nodeA.mailboxManager().mailboxExists(archive, onA)).block())
            .as("the new name on node A").isTrue();

        org.apache.james.core.quota.QuotaCountLimit limit = org.apache.james.core.quota.QuotaCountLimit.count(7);
        assertThat(nodeA.maxQuotaManager().getGlobalMaxMessage()).isEmpty();
        nodeB.maxQuotaManager().setGlobalMaxMessage(limit);
        deadline = System.nanoTime() + 1_000_000_000L;
        while (nodeA.maxQuotaManager().getGlobalMaxMessage().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(nodeA.maxQuotaManager().getGlobalMaxMessage()).contains(limit);
    }

    @Test
    void sessionLeasesCountTheSessionsOfEveryLiveNodeAndNoneOfADeadOne() throws Exception {
        SessionLeases a = nodeA.sessionLeases();
        SessionLeases b = nodeB.sessionLeases();
        // IMAP: two sessions for alice at most, one on each node
        SessionLeases.Lease onA = a.take(SessionLeases.Kind.IMAP_SESSION, "alice@example.test", 2).orElseThrow();
        assertThat(b.take(SessionLeases.Kind.IMAP_SESSION, "alice@example.test", 2)).isPresent();
        assertThat(a.take(SessionLeases.Kind.IMAP_SESSION, "alice@example.test", 2)).isEmpty();
        assertThat(b.take(SessionLeases.Kind.IMAP_SESSION, "alice@example.test", 2)).isEmpty();
        assertThat(a.take(SessionLeases.Kind.IMAP_SESSION, "bob@example.test", 2)).as("another user").isPresent();
        onA.close();
        assertThat(awaitLease(b, SessionLeases.Kind.IMAP_SESSION, "alice@example.test", 2))
            .as("the slot given back on A is free for B").isTrue();

        // POP3: one maildrop lock, whichever node holds it
        SessionLeases.Lease maildrop = b.take(SessionLeases.Kind.POP3_MAILDROP, "bob@example.test", 1).orElseThrow();
        assertThat(a.take(SessionLeases.Kind.POP3_MAILDROP, "bob@example.test", 1)).isEmpty();
        maildrop.close();
        assertThat(awaitLease(a, SessionLeases.Kind.POP3_MAILDROP, "bob@example.test", 1)).isTrue();

        // a node last heard of an hour ago is dead: its leases do not count
        nodeA.database().write(c -> {
            try (java.sql.Statement statement = c.createStatement()) {
                statement.executeUpdate("INSERT INTO nodes (node, hostname, started, last_seen) VALUES ('dead-node',"
                    + " 'gone', CURRENT_TIMESTAMP - INTERVAL '2 hours', CURRENT_TIMESTAMP - INTERVAL '1 hour')");
                statement.executeUpdate("INSERT INTO session_leases (kind, username, node, created) VALUES"
                    + " ('POP3_MAILDROP', 'carol@example.test', 'dead-node', CURRENT_TIMESTAMP - INTERVAL '1 hour')");
            }
            return null;
        });
        assertThat(a.take(SessionLeases.Kind.POP3_MAILDROP, "carol@example.test", 1)).isPresent();
    }

    /** Whether {@code leases} grants the lease within two seconds (a lease is given back on a thread of its own). */
    private static boolean awaitLease(SessionLeases leases, SessionLeases.Kind kind, String user, int limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (leases.take(kind, user, limit).isPresent()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Test
    void writesOfTwoNodesThatLockTheSameRowsInOppositeOrdersBothCommitAfterARetry() throws Exception {
        long alice = nodeA.inbox("alice@example.test");
        long bob = nodeA.inbox("bob@example.test");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<Integer> onA = pool.submit(() -> bumpBoth(nodeA, alice, bob));
        Future<Integer> onB = pool.submit(() -> bumpBoth(nodeB, bob, alice));
        assertThat(onA.get() + onB.get()).isEqualTo(4);
        pool.shutdown();

        assertThat(StoreInternals.database(nodeA).retryCount() + StoreInternals.database(nodeB).retryCount())
            .as("units re-run after the lock conflict").isPositive();
        long modSeqSum = StoreInternals.database(nodeB).read(c -> {
            try (var select = c.prepareStatement("SELECT SUM(highest_modseq) FROM mailboxes WHERE id IN (?, ?)")) {
                select.setLong(1, alice);
                select.setLong(2, bob);
                try (var rs = select.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        // both units' updates of both rows are there, once each
        assertThat(modSeqSum).isEqualTo(4);
    }

    /** One write unit that updates {@code first}, waits long enough for the other node to lock {@code second}, then updates it. */
    private static int bumpBoth(MailStore node, long first, long second) {
        return StoreInternals.database(node).write(c -> {
            int updated = 0;
            for (long mailbox : new long[] {first, second}) {
                try (var update = c.prepareStatement("UPDATE mailboxes SET highest_modseq = highest_modseq + 1 WHERE id = ?")) {
                    update.setLong(1, mailbox);
                    updated += update.executeUpdate();
                }
                if (mailbox == first) {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return updated;
        });
    }

    @Test
    void aLargeMessageDeliveredOnOneNodeReadsBackByteForByteOnTheOther() throws Exception {
        byte[] message = message("big", 3 * 1024 * 1024 + 123);
        MailDelivery.Result result = nodeA.delivery().deliver("sender@example.net", List.of("alice@example.test"), List.of(),
            () -> new ByteArrayInputStream(message), message.length);
        MailDelivery.Delivered copy = result.local().get(0);

        try (InputStream in = nodeB.messageContent(copy.mailboxId(), copy.uid()).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(message);
        }
        // kept in chunks, none of them bigger than a chunk, not in its row
        int chunks = StoreInternals.database(nodeB).read(c -> {
            try (var select = c.prepareStatement("SELECT COUNT(*), MAX(LENGTH(data)) FROM message_chunks WHERE message_id = ?")) {
                select.setString(1, result.messageId());
                try (var rs = select.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(2)).isLessThanOrEqualTo(512 * 1024);
                    return rs.getInt(1);
                }
            }
        });
        assertThat(chunks).isEqualTo((message.length + 512 * 1024 - 1) / (512 * 1024));
    }

    private static List<Long> storedUids(MailStore node, String user) {
        long mailbox = node.inbox(user);
        return StoreInternals.database(node).read(c -> {
            List<Long> uids = new ArrayList<>();
            long lastModSeq = 0;
            try (var select = c.prepareStatement("SELECT uid, modseq FROM messages WHERE mailbox_id = ? ORDER BY uid")) {
                select.setLong(1, mailbox);
                try (var rs = select.executeQuery()) {
                    while (rs.next()) {
                        uids.add(rs.getLong(1));
                        assertThat(rs.getLong(2)).isGreaterThan(lastModSeq);
                        lastModSeq = rs.getLong(2);
                    }
                }
            }
            return Collections.unmodifiableList(uids);
        });
    }

    private static byte[] message(String subject, int bodySize) {
        StringBuilder body = new StringBuilder();
        Random random = new Random(subject.hashCode());
        while (body.length() < bodySize) {
            for (int i = 0; i < 76; i++) {
                body.append((char) ('a' + random.nextInt(26)));
            }
            body.append("\r\n");
        }
        return ("From: sender@example.net\r\nTo: alice@example.test\r\nSubject: " + subject + "\r\n\r\n" + body)
            .getBytes(StandardCharsets.UTF_8);
    }
}

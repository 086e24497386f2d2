package org.letterbox.delivery;

import org.letterbox.testing.FakeSmtpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import org.letterbox.delivery.client.SmtpTimeouts;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreFixture;
import org.letterbox.store.queue.OutboundQueue;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.HandClock;
import org.letterbox.testing.TestDns;
import org.letterbox.testing.TestTls;

/**
 * A sending server for delivery tests: a real store (alice@example.test), outbound delivery over a DNS server on
 * loopback, a clock moved by hand, and the port that MX hosts listen on (each MX host on its own loopback address).
 */
final class DeliveryHarness implements AutoCloseable {

    static final String ALICE = "alice@example.test";

    final HandClock clock = new HandClock(Instant.now());
    final TestDns dns;
    final MailStore store;
    final int mxPort = FreePort.next();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    OutboundDelivery delivery;

    DeliveryHarness() throws IOException {
        dns = TestDns.start();
        store = StoreFixture.freshStore(clock);
        store.accounts().addDomain("example.test");
        store.createUser(ALICE, "pw");
    }

    /** Starts delivery with the test defaults, changed by {@code change}. */
    DeliveryHarness start(UnaryOperator<DeliverySettings.Builder> change) {
        DeliverySettings.Builder settings = DeliverySettings.builder("mail.example.test")
            .mxPort(mxPort)
            .dns(List.of(org.letterbox.dns.Dns.server(dns.server())), Duration.ofSeconds(2), org.letterbox.dns.DnssecMode.RESOLVER)
            .timeouts(SmtpTimeouts.RFC_5321.cappedAt(Duration.ofSeconds(3)))
            .retry(DeliverySettings.DEFAULT_RETRY_DELAYS, DeliverySettings.DEFAULT_GIVE_UP_AFTER, 0);
        delivery = OutboundDelivery.start(store, change.apply(settings).build(),
            TestTls.trusting(TestTls.identity("mx.remote.test").certificate(),
                TestTls.identity("mta-sts.remote.test").certificate(), TestTls.identity("relay.test").certificate()), clock);
        return this;
    }

    /** An MX host {@code name} of {@code domain} at {@code address}, with a scripted server listening there. */
    FakeSmtpServer mx(String domain, int preference, String name, String address) throws IOException {
        dns.mx(domain, preference, name).a(name, address);
        FakeSmtpServer server = FakeSmtpServer.start(address, mxPort);
        closeables.add(server);
        return server;
    }

    /** Queues {@code message} from {@code sender} to remote {@code recipients}, as a submission would. */
    void send(String sender, String message, OutboundQueue.Recipient... recipients) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        store.delivery().deliver(sender, List.of(), List.of(recipients), () -> new ByteArrayInputStream(bytes),
            bytes.length, OutboundQueue.Settlement.NONE);
    }

    void send(String sender, String message, String... recipients) throws IOException {
        send(sender, message, java.util.Arrays.stream(recipients).map(OutboundQueue.Recipient::of)
            .toArray(OutboundQueue.Recipient[]::new));
    }

    /** Moves the clock and lets the runner look at the queue. */
    void advance(Duration by) {
        clock.advance(by);
        delivery.wake();
    }

    /** Waits (real time) until {@code condition} holds and the runner has nothing under way. */
    void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean() && delivery.idle()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out; queue: " + store.queue().list());
    }

    List<OutboundQueue.Entry> queue() {
        return store.queue().list();
    }

    /** The messages in {@code user}'s INBOX, oldest first. */
    List<String> inbox(String user) throws IOException {
        long mailbox = store.inbox(user);
        List<String> messages = new ArrayList<>();
        for (long uid = 1; uid < 1000; uid++) {
            Optional<InputStream> content = store.messageContent(mailbox, uid);
            if (content.isEmpty()) {
                if (uid > messages.size() + 20) {
                    break;
                }
                continue;
            }
            try (InputStream in = content.get()) {
                messages.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return messages;
    }

    @Override
    public void close() {
        if (delivery != null) {
            delivery.close();
        }
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
        dns.close();
        store.close();
    }
}

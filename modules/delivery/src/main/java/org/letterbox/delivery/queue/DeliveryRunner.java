package org.letterbox.delivery.queue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.letterbox.delivery.client.Envelope;
import org.letterbox.delivery.client.MessageContent;
import org.letterbox.delivery.client.SmtpReply;
import org.letterbox.delivery.dsn.ReportedRecipient;
import org.letterbox.delivery.dsn.Reports;
import org.letterbox.delivery.route.DestinationDelivery;
import org.letterbox.delivery.route.Hop;
import org.letterbox.delivery.route.RecipientResult;
import org.letterbox.net.login.LogValue;
import org.letterbox.store.queue.OutboundQueue;
import org.letterbox.store.queue.OutboundQueue.Entry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Empties the outbound queue. One scheduling thread claims what is due and starts deliveries on a bounded pool, at
 * most {@link Settings#maxConcurrent()} at once and at most what each destination may have
 * ({@link DestinationSlots}); each delivery records its results in the store before its slot is given back. New
 * mail wakes the scheduler at once; otherwise it sleeps until the next entry falls due.
 */
public final class DeliveryRunner implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger("org.letterbox.delivery");
    /** Messages up to this size are read from the store once per attempt and kept in memory for it. */
    private static final int SMALL_MESSAGE = 256 * 1024;
    /** Most entries one claim takes (one durable write). */
    private static final int CLAIM_BATCH = 500;

    /**
     * @param maxConcurrent deliveries at once, over all destinations
     * @param maxPerDestination deliveries at once to one domain, reached by starting at one
     * @param schedule when deferred mail is tried again, and when it is given up on
     * @param delayNotice how late a message is when its sender is told (zero: never)
     * @param lease how long a claim holds an entry for a delivery under way
     */
    public record Settings(int maxConcurrent, int maxPerDestination, RetrySchedule schedule, Duration delayNotice,
                           Duration lease) {
    }

    /** The entries of one message to one domain: one attempt, one transaction. */
    private record Group(String messageId, String sender, String domain, List<Entry> entries,
                         java.util.concurrent.atomic.AtomicBoolean slotReleased) {
    }

    private final OutboundQueue queue;
    private final DestinationDelivery destinations;
    private final Reports reports;
    private final Settings settings;
    private final Clock clock;
    private final Random random;
    private final ExecutorService pool;
    private final LinkedBlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
    private final DestinationSlots slots;
    private final ArrayDeque<Group> waiting = new ArrayDeque<>();
    private final Set<Long> inFlight = new HashSet<>();
    private final AtomicInteger busy = new AtomicInteger();
    private volatile boolean running;
    private volatile boolean paused;
    private Thread scheduler;

    public DeliveryRunner(OutboundQueue queue, DestinationDelivery destinations, Reports reports, Settings settings,
                          Clock clock, Random random) {
        this.queue = queue;
        this.destinations = destinations;
        this.reports = reports;
        this.settings = settings;
        this.clock = clock;
        this.random = random;
        this.slots = new DestinationSlots(settings.maxConcurrent(), settings.maxPerDestination());
        AtomicInteger number = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(settings.maxConcurrent(), settings.maxConcurrent(), 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "letterbox-delivery-" + number.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        ((ThreadPoolExecutor) pool).allowCoreThreadTimeOut(true);
    }

    /** Ends the claims a previous run left (this process is the queue's only deliverer) and starts scheduling. */
    public synchronized void start() {
        if (running) {
            return;
        }
        int released = queue.releaseClaims();
        if (released > 0) {
            LOGGER.info("delivery: {} queue entries were being delivered when the server stopped; they are due again", released);
        }
        queue.onEnqueued(this::wake);
        running = true;
        scheduler = new Thread(this::schedule, "letterbox-delivery-scheduler");
        scheduler.setDaemon(true);
        scheduler.start();
    }

    /** Looks at the queue now (new mail, a retry asked for by hand, a clock moved by a test). */
    public void wake() {
        events.offer(() -> {
        });
    }

    /**
     * Stops starting deliveries (those under way finish) or starts again. New mail stays queued meanwhile. Not kept
     * across a restart: a restarted server delivers.
     */
    public void pause(boolean pause) {
        paused = pause;
        LOGGER.info("delivery: {}", pause ? "paused by the administrator; mail stays in the queue" : "resumed");
        wake();
    }

    public boolean paused() {
        return paused;
    }

    /** True when no delivery is under way and none is waiting for a slot. */
    public boolean idle() {
        return busy.get() == 0;
    }

    private void schedule() {
        while (running) {
            try {
                Runnable event;
                while ((event = events.poll()) != null) {
                    event.run();
                }
                if (paused) {
                    event = events.poll(60, TimeUnit.SECONDS);
                    if (event != null) {
                        event.run();
                    }
                    continue;
                }
                startWaiting();
                // claims are writes: take a large batch when the backlog runs low, not a few at every turn
                if (waiting.size() < lowWater()) {
                    claim();
                    startWaiting();
                }
                long sleep = waiting.isEmpty() ? millisUntilNextDue() : 60_000;
                if (sleep > 0) {
                    event = events.poll(sleep, TimeUnit.MILLISECONDS);
                    if (event != null) {
                        event.run();
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOGGER.error("delivery: the scheduler failed; trying again in 5 s", e);
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Below this many waiting groups the scheduler claims more. */
    private int lowWater() {
        return settings.maxConcurrent() * 2;
    }

    private long millisUntilNextDue() {
        Optional<Instant> next = queue.nextDue();
        if (next.isEmpty()) {
            return 60_000;
        }
        long millis = Duration.between(clock.instant(), next.get()).toMillis();
        return Math.max(0, Math.min(60_000, millis)) + (millis > 0 ? 1 : 0);
    }

    private void claim() {
        if (queue.nextDue().filter(next -> !next.isAfter(clock.instant())).isEmpty()) {
            return;
        }
        List<Entry> due = queue.claimDue(clock.instant(), CLAIM_BATCH, settings.lease());
        Map<String, Group> groups = new LinkedHashMap<>();
        for (Entry entry : due) {
            if (!inFlight.add(entry.id())) {
                continue;
            }
            String key = entry.messageId() + "\0" + entry.sender() + "\0" + entry.domain();
            groups.computeIfAbsent(key, k -> new Group(entry.messageId(), entry.sender(), entry.domain(), new ArrayList<>(),
                new java.util.concurrent.atomic.AtomicBoolean()))
                .entries().add(entry);
        }
        for (Group group : groups.values()) {
            busy.incrementAndGet();
            waiting.add(group);
        }
    }

    private void startWaiting() {
        for (Iterator<Group> it = waiting.iterator(); it.hasNext() && !slots.full(); ) {
            Group group = it.next();
            if (slots.tryAcquire(group.domain())) {
                it.remove();
                pool.execute(() -> {
                    try {
                        deliver(group);
                    } catch (RuntimeException e) {
                        LOGGER.error("delivery: attempt for {} failed unexpectedly", group.domain(), e);
                        releaseSlot(group, false);
                    } finally {
                        events.offer(() -> {
                            group.entries().forEach(entry -> inFlight.remove(entry.id()));
                            busy.decrementAndGet();
                        });
                    }
                });
            }
        }
    }

    /** Gives the group's destination slot back (once), so that the next message to it can go while this one is recorded. */
    private void releaseSlot(Group group, boolean reachedServer) {
        if (group.slotReleased().compareAndSet(false, true)) {
            events.offer(() -> slots.release(group.domain(), reachedServer));
        }
    }

    /** One attempt for one group; its destination slot is given back as soon as the attempt is over, then its results are recorded. */
    private void deliver(Group group) {
        Entry first = group.entries().get(0);
        List<Envelope.Recipient> recipients = group.entries().stream()
            .map(entry -> new Envelope.Recipient(entry.recipient(), entry.dsn().notifyOn(), entry.dsn().originalRecipient()))
            .toList();
        Envelope envelope = new Envelope(group.sender(), recipients, first.dsn().envelopeId(), first.dsn().returnContent());
        MessageContent content = new MessageContent() {
            private byte[] small;

            @Override
            public InputStream open() throws IOException {
                if (small != null) {
                    return new java.io.ByteArrayInputStream(small);
                }
                InputStream in = queue.content(first).orElseThrow(() -> new IOException("the queued message is gone"));
                if (first.size() > SMALL_MESSAGE) {
                    return in;
                }
                // a small message is read once, however often the transfer looks at it
                try (in) {
                    small = in.readAllBytes();
                }
                return new java.io.ByteArrayInputStream(small);
            }

            @Override
            public long size() {
                return first.size();
            }
        };
        int attempts = group.entries().stream().mapToInt(Entry::attempts).min().orElse(0);
        long started = System.nanoTime();
        DestinationDelivery.Attempt attempt;
        try {
            attempt = destinations.deliver(group.domain(), attempts, envelope, content);
        } catch (RuntimeException e) {
            LOGGER.error("delivery: attempt for {} failed unexpectedly", group.domain(), e);
            Map<String, RecipientResult> results = new LinkedHashMap<>();
            recipients.forEach(r -> results.put(r.address(), new RecipientResult(RecipientResult.Status.DEFERRED,
                SmtpReply.local(451, "4.3.0 internal error: " + e), Optional.empty())));
            attempt = new DestinationDelivery.Attempt(results);
        }
        releaseSlot(group, attempt.results().values().stream().anyMatch(result -> result.hop().isPresent()));
        record(group, attempt, Duration.ofNanos(System.nanoTime() - started));
    }

    private void record(Group group, DestinationDelivery.Attempt attempt, Duration took) {
        Instant now = clock.instant();
        List<Long> finished = new ArrayList<>();
        List<ReportedRecipient> failures = new ArrayList<>();
        List<ReportedRecipient> relayed = new ArrayList<>();
        List<ReportedRecipient> delays = new ArrayList<>();
        List<Long> delayNoticed = new ArrayList<>();
        int delivered = 0;
        int deferred = 0;
        int failed = 0;
        for (Entry entry : group.entries()) {
            RecipientResult result = attempt.results().get(entry.recipient());
            if (result == null) {
                result = new RecipientResult(RecipientResult.Status.DEFERRED, SmtpReply.local(451, "4.3.0 no result"),
                    Optional.empty());
            }
            Optional<String> remote = result.hop().map(Hop::host);
            String diagnostic = result.reply().toString();
            switch (result.status()) {
                case DELIVERED -> {
                    delivered++;
                    finished.add(entry.id());
                    if (Reports.wants(entry.dsn().notifyOn(), "SUCCESS")) {
                        relayed.add(new ReportedRecipient(entry.recipient(), entry.dsn().originalRecipient(),
                            ReportedRecipient.Action.RELAYED, "2.0.0", remote, Optional.of(diagnostic), Optional.of(now),
                            Optional.empty()));
                    }
                }
                case FAILED -> {
                    failed++;
                    finished.add(entry.id());
                    if (Reports.wants(entry.dsn().notifyOn(), "FAILURE")) {
                        failures.add(new ReportedRecipient(entry.recipient(), entry.dsn().originalRecipient(),
                            ReportedRecipient.Action.FAILED, result.reply().enhancedCode(), remote, Optional.of(diagnostic),
                            Optional.of(now), Optional.empty()));
                    }
                }
                case DEFERRED -> {
                    Optional<Instant> next = settings.schedule().next(entry.attempts() + 1, entry.created(), now, random);
                    if (next.isEmpty()) {
                        failed++;
                        finished.add(entry.id());
                        if (Reports.wants(entry.dsn().notifyOn(), "FAILURE")) {
                            failures.add(new ReportedRecipient(entry.recipient(), entry.dsn().originalRecipient(),
                                ReportedRecipient.Action.FAILED, "4.4.7", remote,
                                Optional.of(diagnostic + " (given up after " + settings.schedule().giveUpAfter().toHours()
                                    + " hours of trying)"), Optional.of(now), Optional.empty()));
                        }
                    } else {
                        deferred++;
                        queue.reschedule(entry.id(), next.get(), diagnostic, now);
                        boolean late = !settings.delayNotice().isZero()
                            && !Duration.between(entry.created(), now).minus(settings.delayNotice()).isNegative();
                        if (late && !entry.delayNotified()) {
                            delayNoticed.add(entry.id());
                            if (Reports.wants(entry.dsn().notifyOn(), "DELAY")) {
                                delays.add(new ReportedRecipient(entry.recipient(), entry.dsn().originalRecipient(),
                                    ReportedRecipient.Action.DELAYED, result.reply().enhancedCode(), remote,
                                    Optional.of(diagnostic), Optional.of(now),
                                    Optional.of(settings.schedule().deadline(entry.created()))));
                            }
                        }
                    }
                }
            }
        }
        Entry first = group.entries().get(0);
        if (!relayed.isEmpty()) {
            reports.send(first, relayed, OutboundQueue.Settlement.NONE);
        }
        if (!finished.isEmpty()) {
            reports.send(first, failures, new OutboundQueue.Settlement(finished, List.of()));
        }
        if (!delayNoticed.isEmpty()) {
            reports.send(first, delays, new OutboundQueue.Settlement(List.of(), delayNoticed));
        }
        log(group, attempt, delivered, deferred, failed, took, now);
    }

    private static void log(Group group, DestinationDelivery.Attempt attempt, int delivered, int deferred, int failed,
                            Duration took, Instant now) {
        RecipientResult sample = attempt.results().values().stream().findFirst().orElse(null);
        StringBuilder ids = new StringBuilder();
        group.entries().forEach(entry -> ids.append(ids.length() == 0 ? "" : ",").append(entry.id()));
        Duration age = Duration.between(group.entries().get(0).created(), now);
        LOGGER.info("delivery: queue={} from=<{}> domain={} rcpts={} hop={} delivered={} deferred={} failed={}"
                + " took={}ms delay={}s result={}",
            ids, LogValue.escape(group.sender()), LogValue.escape(group.domain()), group.entries().size(),
            sample == null ? "-" : sample.hop().map(Hop::toString).orElse("-"), delivered, deferred, failed,
            took.toMillis(), age.toSeconds(), sample == null ? "-" : LogValue.quoted(sample.reply().toString()));
    }

    @Override
    public void close() {
        running = false;
        if (scheduler != null) {
            // woken, not interrupted: an interrupt inside a store read makes Derby close that connection
            wake();
            try {
                scheduler.join(2000);
                if (scheduler.isAlive()) {
                    scheduler.interrupt();
                    scheduler.join(5000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        destinations.close();
    }
}

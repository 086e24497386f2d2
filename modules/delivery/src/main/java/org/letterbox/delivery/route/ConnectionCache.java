package org.letterbox.delivery.route;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.letterbox.delivery.client.Capabilities;
import org.letterbox.delivery.client.SmtpConnection;

/**
 * Connections kept open for a moment after a transaction, so that the next message to the same destination (or
 * through the same smarthost) goes over them: no new TCP and TLS handshake, no second EHLO, on either side. As
 * Postfix's connection cache does it: a connection is idle for at most {@link #IDLE}, carries at most
 * {@link #MAX_USES} transactions, and at most {@link #MAX_IDLE} are kept in all.
 */
final class ConnectionCache implements AutoCloseable {

    static final Duration IDLE = Duration.ofSeconds(2);
    static final int MAX_USES = 100;
    static final int MAX_IDLE = 32;

    /** An open, greeted connection with what its peer said it supports and where it goes. */
    record Cached(SmtpConnection connection, Capabilities peer, Hop hop, int uses, long idleSince) {
    }

    private final Map<String, ArrayDeque<Cached>> idle = new HashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "letterbox-delivery-connections");
        thread.setDaemon(true);
        return thread;
    });
    private int count;

    ConnectionCache() {
        sweeper.scheduleWithFixedDelay(this::sweep, IDLE.toMillis(), IDLE.toMillis() / 2, TimeUnit.MILLISECONDS);
    }

    /** An idle connection for {@code key}, taken out of the cache; the caller checks it with RSET. */
    synchronized Optional<Cached> take(String key) {
        ArrayDeque<Cached> connections = idle.get(key);
        if (connections == null || connections.isEmpty()) {
            return Optional.empty();
        }
        count--;
        Cached cached = connections.pollLast();
        if (connections.isEmpty()) {
            idle.remove(key);
        }
        return Optional.of(cached);
    }

    /** Keeps {@code connection} for the next message to {@code key}, or says QUIT when it has done enough. */
    void give(String key, SmtpConnection connection, Capabilities peer, Hop hop, int uses) {
        if (uses >= MAX_USES) {
            connection.quit();
            return;
        }
        synchronized (this) {
            if (count < MAX_IDLE) {
                idle.computeIfAbsent(key, k -> new ArrayDeque<>())
                    .addLast(new Cached(connection, peer, hop, uses, System.nanoTime()));
                count++;
                return;
            }
        }
        connection.quit();
    }

    private void sweep() {
        ArrayDeque<Cached> expired = new ArrayDeque<>();
        long limit = System.nanoTime() - IDLE.toNanos();
        synchronized (this) {
            for (Iterator<ArrayDeque<Cached>> lists = idle.values().iterator(); lists.hasNext(); ) {
                ArrayDeque<Cached> connections = lists.next();
                while (!connections.isEmpty() && connections.peekFirst().idleSince() < limit) {
                    expired.add(connections.pollFirst());
                    count--;
                }
                if (connections.isEmpty()) {
                    lists.remove();
                }
            }
        }
        expired.forEach(cached -> cached.connection().quit());
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        ArrayDeque<Cached> all = new ArrayDeque<>();
        synchronized (this) {
            idle.values().forEach(all::addAll);
            idle.clear();
            count = 0;
        }
        all.forEach(cached -> cached.connection().quit());
    }
}

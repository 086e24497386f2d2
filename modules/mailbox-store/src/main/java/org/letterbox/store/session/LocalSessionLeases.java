package org.letterbox.store.session;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Leases of a node that has its store to itself: counts in memory. */
public final class LocalSessionLeases implements SessionLeases {

    private record Key(Kind kind, String user) {
    }

    private final ConcurrentHashMap<Key, AtomicInteger> held = new ConcurrentHashMap<>();

    @Override
    public Optional<Lease> take(Kind kind, String user, int limit) {
        Key key = new Key(kind, user);
        AtomicInteger count = held.computeIfAbsent(key, k -> new AtomicInteger());
        if (count.incrementAndGet() > limit) {
            count.decrementAndGet();
            return Optional.empty();
        }
        AtomicBoolean released = new AtomicBoolean();
        return Optional.of(() -> {
            if (released.compareAndSet(false, true)) {
                count.decrementAndGet();
            }
        });
    }
}

package org.letterbox.delivery.queue;

import java.util.HashMap;
import java.util.Map;

/**
 * How many deliveries may run at once overall and to each destination domain. A destination starts at one
 * connection at a time; each attempt that reached a server lets it have one more, up to the maximum, and an attempt
 * that reached none puts it back to one (so an unknown or struggling destination is not hit by many connections).
 * Not thread-safe: the runner's one scheduling thread owns it.
 */
final class DestinationSlots {

    private final int maxTotal;
    private final int maxPerDestination;
    private final Map<String, int[]> destinations = new HashMap<>();
    private int running;

    DestinationSlots(int maxTotal, int maxPerDestination) {
        this.maxTotal = maxTotal;
        this.maxPerDestination = maxPerDestination;
    }

    /** Takes a slot for {@code domain}; false when it is at its limit or all slots are taken. */
    boolean tryAcquire(String domain) {
        if (running >= maxTotal) {
            return false;
        }
        int[] state = destinations.computeIfAbsent(domain, d -> new int[] {0, 1});
        if (state[0] >= state[1]) {
            return false;
        }
        state[0]++;
        running++;
        return true;
    }

    /** Gives the slot back; {@code reachedServer} grows the destination's limit, its opposite resets it to one. */
    void release(String domain, boolean reachedServer) {
        int[] state = destinations.get(domain);
        if (state == null) {
            return;
        }
        state[0]--;
        running--;
        state[1] = reachedServer ? Math.min(maxPerDestination, state[1] + 1) : 1;
        if (state[0] == 0 && state[1] == 1) {
            destinations.remove(domain);
        }
    }

    boolean full() {
        return running >= maxTotal;
    }

    int running() {
        return running;
    }
}

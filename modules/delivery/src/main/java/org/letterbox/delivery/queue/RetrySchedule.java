package org.letterbox.delivery.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * When to try a deferred message again: after the n-th failure, the n-th delay of the list (the last one repeats),
 * moved by a random part of up to {@code jitterPercent} either way so that messages deferred together do not come
 * back together; never later than {@code giveUpAfter} from when the message was queued, and not at all once that
 * has passed (RFC 5321 §4.5.4.1 asks for at least 4–5 days).
 */
public record RetrySchedule(List<Duration> delays, Duration giveUpAfter, int jitterPercent) {

    public RetrySchedule {
        delays = List.copyOf(delays);
        if (delays.isEmpty() || delays.stream().anyMatch(d -> d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException("retry delays must be a non-empty list of positive durations");
        }
        if (jitterPercent < 0 || jitterPercent > 50) {
            throw new IllegalArgumentException("retry jitter must be between 0 and 50 percent, not " + jitterPercent);
        }
    }

    /**
     * The next attempt after {@code failures} failed attempts of a message queued at {@code created}; empty when it
     * is time to give up.
     */
    public Optional<Instant> next(int failures, Instant created, Instant now, Random random) {
        Instant deadline = created.plus(giveUpAfter);
        if (!now.isBefore(deadline)) {
            return Optional.empty();
        }
        Duration delay = delays.get(Math.max(0, Math.min(failures, delays.size()) - 1));
        long millis = delay.toMillis();
        if (jitterPercent > 0) {
            long spread = millis * jitterPercent / 100;
            millis += spread == 0 ? 0 : (long) ((random.nextDouble() * 2 - 1) * spread);
        }
        Instant next = now.plusMillis(Math.max(1000, millis));
        return Optional.of(next.isAfter(deadline) ? deadline : next);
    }

    /** The time after which a message queued at {@code created} is given up on. */
    public Instant deadline(Instant created) {
        return created.plus(giveUpAfter);
    }
}

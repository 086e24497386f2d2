package org.letterbox.net.login;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins, counted for every protocol in one place: per client network (an IPv4 address, an IPv6 /64) and
 * per account.
 *
 * <ul>
 *   <li>Each failure from a network is answered later than the one before: the protocol's base delay, doubled per
 *       failure, up to {@link Settings#maxDelay()}. The caller schedules the reply; nothing here sleeps.</li>
 *   <li>After {@link Settings#failuresBeforeBlock()} failures a network is refused outright, without a password
 *       check, for {@link Settings#blockDuration()}.</li>
 *   <li>An account that has failed {@link Settings#accountFailuresBeforeProtection()} times (a guess spread over
 *       many addresses) is protected: only networks it has logged in from before may try it, so an attacker
 *       elsewhere can neither keep guessing nor lock the owner out.</li>
 *   <li>A name with control characters or longer than {@value #MAX_NAME_BYTES} bytes is refused before any
 *       hashing.</li>
 * </ul>
 * Counts are forgotten {@link Settings#memory()} after a network's last failure or an account's last attempt; at most
 * {@link Settings#maxTracked()} networks and as many accounts are remembered, the stalest dropped first.
 */
public final class LoginGuard {

    /** Longest user name, in UTF-8 bytes, that is checked at all. */
    public static final int MAX_NAME_BYTES = 255;
    private static final int KNOWN_NETWORKS_PER_ACCOUNT = 16;

    /**
     * How the guard reacts.
     *
     * @param failuresBeforeBlock failures from one network before it is refused outright (default 10)
     * @param blockDuration how long such a network is refused (default 15 minutes)
     * @param maxDelay the longest a failed login's reply is held back (default 30 seconds)
     * @param accountFailuresBeforeProtection failures on one account, from anywhere, before only networks it has
     *        logged in from may try it (default 50)
     * @param memory how long after the last failure a count is kept (default 1 hour)
     * @param maxTracked most networks, and most accounts, remembered at once (default 20,000)
     */
    public record Settings(int failuresBeforeBlock, Duration blockDuration, Duration maxDelay,
                           int accountFailuresBeforeProtection, Duration memory, int maxTracked) {

        public static final Settings DEFAULTS = new Settings(10, Duration.ofMinutes(15), Duration.ofSeconds(30), 50,
            Duration.ofHours(1), 20_000);

        public Settings {
            if (failuresBeforeBlock < 1 || accountFailuresBeforeProtection < 1 || maxTracked < 100) {
                throw new IllegalArgumentException("login guard: thresholds must be at least 1 and maxTracked at least 100");
            }
            if (blockDuration.isNegative() || maxDelay.isNegative() || memory.compareTo(blockDuration) < 0) {
                throw new IllegalArgumentException("login guard: durations must not be negative, memory at least the block");
            }
        }
    }

    /** Whether an attempt may be checked at all. */
    public sealed interface Admission permits Admitted, Refused {
    }

    /** Go ahead and check the password. */
    public record Admitted() implements Admission {
    }

    /**
     * Do not check: {@code reason} is {@code blocked} (the network), {@code protected} (the account) or
     * {@code bad-name}; a bad name counts as a failure and is answered as one, the others get a temporary refusal.
     */
    public record Refused(String reason) implements Admission {
        public boolean isBadName() {
            return reason.equals("bad-name");
        }
    }

    /** What a failure costs: how many there have been from this network, and how long to hold the reply back. */
    public record Failure(int count, Duration delay) {
    }

    private static final class Record {
        int failures;
        /** The last failure, or for an account also the last success. */
        Instant lastSeen;
        Instant blockedUntil;
        final Set<String> knownNetworks = new HashSet<>();
    }

    private final Settings settings;
    private final Clock clock;
    private final Map<String, Record> networks = new ConcurrentHashMap<>();
    private final Map<String, Record> accounts = new ConcurrentHashMap<>();

    public LoginGuard(Settings settings) {
        this(settings, Clock.systemUTC());
    }

    /** With a clock of the caller's: for tests. */
    public LoginGuard(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public Settings settings() {
        return settings;
    }

    /** Called before the password is checked. */
    public Admission admit(InetAddress ip, String user) {
        if (!acceptableName(user)) {
            return new Refused("bad-name");
        }
        Instant now = clock.instant();
        Record network = fresh(networks, networkOf(ip), now);
        if (network != null) {
            synchronized (network) {
                if (network.blockedUntil != null && now.isBefore(network.blockedUntil)) {
                    return new Refused("blocked");
                }
            }
        }
        Record account = fresh(accounts, accountKey(user), now);
        if (account != null) {
            synchronized (account) {
                if (account.failures >= settings.accountFailuresBeforeProtection()
                    && !account.knownNetworks.contains(networkOf(ip))) {
                    return new Refused("protected");
                }
            }
        }
        return new Admitted();
    }

    /**
     * Records a failed attempt (wrong password, unknown user, bad name, malformed exchange) and says how long its
     * reply is held back: {@code baseDelay} doubled for each earlier failure from the network, at most
     * {@link Settings#maxDelay()}.
     */
    public Failure failed(InetAddress ip, String user, Duration baseDelay) {
        Instant now = clock.instant();
        Record network = tracked(networks, networkOf(ip), now);
        int count;
        synchronized (network) {
            network.failures++;
            network.lastSeen = now;
            count = network.failures;
            if (count >= settings.failuresBeforeBlock()) {
                network.blockedUntil = now.plus(settings.blockDuration());
            }
        }
        if (acceptableName(user)) {
            Record account = tracked(accounts, accountKey(user), now);
            synchronized (account) {
                account.failures++;
                account.lastSeen = now;
            }
        }
        return new Failure(count, delay(baseDelay, count));
    }

    /** Records a successful login: the network's count is cleared and it becomes known to the account. */
    public void succeeded(InetAddress ip, String account) {
        String network = networkOf(ip);
        networks.remove(network);
        Instant now = clock.instant();
        Record record = tracked(accounts, accountKey(account), now);
        synchronized (record) {
            if (record.knownNetworks.size() >= KNOWN_NETWORKS_PER_ACCOUNT && !record.knownNetworks.contains(network)) {
                record.knownNetworks.remove(record.knownNetworks.iterator().next());
            }
            record.knownNetworks.add(network);
            record.lastSeen = now;
        }
    }

    /** How many networks and accounts are remembered now (for tests and metrics). */
    public int trackedEntries() {
        return networks.size() + accounts.size();
    }

    private Duration delay(Duration base, int count) {
        Duration max = settings.maxDelay();
        Duration delay = base;
        for (int i = 1; i < count && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }

    /** The record under {@code key} if it is still remembered, else null (and it is forgotten). */
    private Record fresh(Map<String, Record> map, String key, Instant now) {
        Record record = map.get(key);
        if (record == null) {
            return null;
        }
        synchronized (record) {
            if (expired(record, now)) {
                map.remove(key, record);
                return null;
            }
        }
        return record;
    }

    private Record tracked(Map<String, Record> map, String key, Instant now) {
        Record existing = fresh(map, key, now);
        if (existing != null) {
            return existing;
        }
        if (map.size() >= settings.maxTracked()) {
            evict(map, now);
        }
        return map.computeIfAbsent(key, k -> new Record());
    }

    private boolean expired(Record record, Instant now) {
        boolean blocked = record.blockedUntil != null && now.isBefore(record.blockedUntil);
        return !blocked && record.lastSeen != null && now.isAfter(record.lastSeen.plus(settings.memory()));
    }

    /** Drops what has expired, then the stalest tenth, so that memory stays bounded under any attack. */
    private void evict(Map<String, Record> map, Instant now) {
        map.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return expired(e.getValue(), now);
            }
        });
        if (map.size() < settings.maxTracked()) {
            return;
        }
        map.entrySet().stream()
            .sorted(Comparator.comparing(e -> e.getValue().lastSeen == null ? Instant.MIN : e.getValue().lastSeen))
            .limit(Math.max(1, settings.maxTracked() / 10))
            .map(Map.Entry::getKey)
            .toList()
            .forEach(map::remove);
    }

    /** An IPv4 address, or the /64 an IPv6 address is in (one subscriber's usual allocation). */
    static String networkOf(InetAddress ip) {
        byte[] bytes = ip.getAddress();
        if (bytes.length == 16) {
            return "v6:" + java.util.HexFormat.of().formatHex(Arrays.copyOf(bytes, 8));
        }
        return ip.getHostAddress();
    }

    private static String accountKey(String user) {
        return user.toLowerCase(Locale.ROOT);
    }

    /** Not null, not empty, no control characters, at most {@value #MAX_NAME_BYTES} bytes in UTF-8. */
    public static boolean acceptableName(String user) {
        if (user == null || user.isEmpty() || user.length() > MAX_NAME_BYTES) {
            return false;
        }
        if (user.codePoints().anyMatch(cp -> Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029)) {
            return false;
        }
        return user.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_NAME_BYTES;
    }
}

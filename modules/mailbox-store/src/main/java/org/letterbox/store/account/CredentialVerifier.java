package org.letterbox.store.account;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks logins for every protocol. Password hashing runs on a small bounded pool of its own, never on a protocol
 * or store thread; when that pool's queue is full the answer is {@link Busy}, a temporary failure.
 *
 * <p>After a successful check a keyed digest of the password (HMAC-SHA256 under a random key made when the process
 * starts) is kept for {@link Settings#cacheTtl()}, so later logins of the same user with the same password cost an
 * HMAC instead of a slow hash, as Dovecot's auth cache does. An entry is also bound to the stored hash it was checked
 * against, so a password changed by any process no longer matches. A failure never adds to the cache; a password
 * change or removal of the user empties the user's entry at once ({@link #forget}).
 *
 * <p>An unknown user costs one slow hash, as a wrong password does. Names with control characters or longer than
 * 255 bytes are refused before any hashing.
 */
public final class CredentialVerifier implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(CredentialVerifier.class);
    private static final int MAX_NAME_BYTES = 255;
    private static final int MAX_PASSWORD_CHARS = 1024;

    /**
     * @param hashThreads threads that compute password hashes (default 2)
     * @param hashQueue logins that may wait for a hashing thread; more get a temporary failure (default 64)
     * @param cacheTtl how long a verified credential is remembered; zero disables the cache (default 1 hour)
     * @param cacheEntries most users remembered at once; the least recently used is dropped (default 10,000)
     */
    public record Settings(int hashThreads, int hashQueue, Duration cacheTtl, int cacheEntries) {
        public Settings {
            if (hashThreads < 1 || hashQueue < 1 || cacheEntries < 1 || cacheTtl.isNegative()) {
                throw new IllegalArgumentException("hashThreads, hashQueue and cacheEntries must be positive, cacheTtl not negative");
            }
        }

        public static Settings defaults() {
            return new Settings(2, 64, Duration.ofHours(1), 10_000);
        }
    }

    /** The outcome of one login check. */
    public sealed interface Outcome permits Verified, Rejected, Busy {
    }

    /** The password is right; {@code user} is the canonical account name. */
    public record Verified(String user) implements Outcome {
    }

    /** Unknown user, wrong password, or a name refused before checking. */
    public record Rejected() implements Outcome {
    }

    /** Too many logins are waiting for a hashing thread: try again later. */
    public record Busy() implements Outcome {
    }

    private record Remembered(byte[] digest, String storedHash, Instant expires) {
    }

    private final Accounts accounts;
    private final PasswordHasher hasher;
    private final Executor storeExecutor;
    private final ThreadPoolExecutor hashPool;
    private final Settings settings;
    private final Clock clock;
    private final SecretKeySpec cacheKey;
    private final String dummyHash;
    private final Map<String, Remembered> cache;

    /**
     * @param storeExecutor where the stored hash is read (the store's own executor)
     */
    public CredentialVerifier(Accounts accounts, PasswordHasher hasher, Executor storeExecutor, Settings settings, Clock clock) {
        this.accounts = accounts;
        this.hasher = hasher;
        this.storeExecutor = storeExecutor;
        this.settings = settings;
        this.clock = clock;
        AtomicInteger number = new AtomicInteger();
        this.hashPool = new ThreadPoolExecutor(settings.hashThreads(), settings.hashThreads(), 60, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(settings.hashQueue()), runnable -> {
                Thread thread = new Thread(runnable, "letterbox-hash-" + number.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.AbortPolicy());
        this.hashPool.allowCoreThreadTimeOut(true);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.cacheKey = new SecretKeySpec(key, "HmacSHA256");
        // made without a derivation: a real one cost half a second of every start (0.45 s of 2.3 s)
        this.dummyHash = hasher.decoy();
        this.cache = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
                return size() > settings.cacheEntries();
            }
        };
    }

    /** Checks {@code user}'s {@code password}; completes on a hashing or store thread, never fails exceptionally. */
    public CompletableFuture<Outcome> verify(String user, String password) {
        if (!acceptableName(user) || password == null || password.isEmpty() || password.length() > MAX_PASSWORD_CHARS) {
            return CompletableFuture.completedFuture(new Rejected());
        }
        String name = user.trim().toLowerCase(java.util.Locale.ROOT);
        return CompletableFuture.supplyAsync(() -> accounts.storedHash(name), storeExecutor)
            .thenCompose(stored -> {
                if (stored.isPresent() && remembered(name, password, stored.get())) {
                    return CompletableFuture.<Outcome>completedFuture(new Verified(name));
                }
                return hashed(name, password, stored);
            })
            .exceptionally(failure -> {
                LOGGER.warn("login check for a user failed: {}", failure.toString());
                return new Busy();
            });
    }

    /** The blocking form of {@link #verify}, for callers that may wait (James's authenticator, the CLI). */
    public Optional<String> verifyNow(String user, String password) {
        return verify(user, password).join() instanceof Verified verified ? Optional.of(verified.user()) : Optional.empty();
    }

    private CompletableFuture<Outcome> hashed(String name, String password, Optional<String> stored) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        try {
            hashPool.execute(() -> {
                try {
                    // an unknown user costs the same one derivation as a wrong password
                    boolean right = hasher.verify(password, stored.orElse(dummyHash)) && stored.isPresent();
                    if (!right) {
                        result.complete(new Rejected());
                        return;
                    }
                    remember(name, password, stored.get());
                    result.complete(new Verified(name));
                    if (hasher.needsRehash(stored.get())) {
                        upgrade(name, password, stored.get());
                    }
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.complete(new Busy());
        }
        return result;
    }

    /** Rehashes with today's parameters on this hashing thread, then writes it unless the hash changed meanwhile. */
    private void upgrade(String name, String password, String old) {
        String fresh = hasher.hash(password);
        storeExecutor.execute(() -> {
            try {
                if (accounts.replaceHash(name, old, fresh)) {
                    synchronized (cache) {
                        cache.remove(name);
                    }
                    remember(name, password, fresh);
                    LOGGER.info("password hash of {} upgraded to {}", name, hasher.parameters());
                }
            } catch (RuntimeException e) {
                LOGGER.warn("could not upgrade the password hash of {}: {}", name, e.toString());
            }
        });
    }

    /** Drops what is remembered of {@code user}: called on a password change and when the user is removed. */
    public void forget(String user) {
        synchronized (cache) {
            cache.remove(user.trim().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** Slow password derivations made so far. */
    public long derivations() {
        return hasher.derivations();
    }

    /** Users with a remembered credential (for tests and status). */
    public int rememberedCount() {
        synchronized (cache) {
            return cache.size();
        }
    }

    private boolean remembered(String name, String password, String storedHash) {
        if (settings.cacheTtl().isZero()) {
            return false;
        }
        Remembered entry;
        synchronized (cache) {
            entry = cache.get(name);
        }
        return entry != null && entry.storedHash().equals(storedHash) && clock.instant().isBefore(entry.expires())
            && MessageDigest.isEqual(entry.digest(), digest(name, password));
    }

    private void remember(String name, String password, String storedHash) {
        if (settings.cacheTtl().isZero()) {
            return;
        }
        Remembered entry = new Remembered(digest(name, password), storedHash, clock.instant().plus(settings.cacheTtl()));
        synchronized (cache) {
            cache.put(name, entry);
        }
    }

    private byte[] digest(String name, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(cacheKey);
            mac.update(name.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /** A login name we are willing to look up: at most 255 bytes, no control characters or spaces. */
    static boolean acceptableName(String user) {
        if (user == null || user.isBlank() || user.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return false;
        }
        return user.trim().codePoints().noneMatch(cp -> cp <= ' ' || cp == 0x7f || Character.isISOControl(cp));
    }

    @Override
    public void close() {
        hashPool.shutdownNow();
    }
}

package org.letterbox.server.dkim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.letterbox.mailauth.dkim.DkimAlgorithm;
import org.letterbox.mailauth.dkim.DkimKey;
import org.letterbox.mailauth.dkim.KeyPairs;
import org.letterbox.store.dkim.DkimKeyStore;
import org.letterbox.store.dkim.DkimKeyStore.StoredKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DKIM keys of our domains, between the store (bytes and states) and mail authentication (keys): a pair made
 * for a domain that has none, a new pair made pending by a rotation (its records can be published before it is
 * used), the switch to it, and the removal of retired keys once they have been published long enough for mail
 * already sent.
 */
public final class DomainKeys {

    private static final Logger LOGGER = LoggerFactory.getLogger(DomainKeys.class);

    /** One key as the admin shows it. */
    public record Info(String domain, String selector, String algorithm, String state, String created, String dnsName,
                       String record) {
    }

    private final DkimKeyStore store;
    private final Clock clock;

    public DomainKeys(DkimKeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Makes an active pair for {@code domain} when it has no key; true when it made one. */
    public boolean ensure(String domain) {
        domain = org.letterbox.store.account.Accounts.normalizeDomain(domain);
        if (!store.keys(domain).isEmpty()) {
            return false;
        }
        save(domain, DkimKeyStore.State.ACTIVE);
        LOGGER.info("dkim: made signing keys for {}", domain);
        return true;
    }

    /** Makes a new pending pair for {@code domain} and returns it; {@link #activate} switches signing to it. */
    public List<Info> rotate(String domain) {
        List<StoredKey> made = save(domain, DkimKeyStore.State.PENDING);
        return made.stream().map(DomainKeys::info).toList();
    }

    /** Switches signing to the pending pair; the keys in use are retired. How many became active. */
    public int activate(String domain) {
        return store.activatePending(domain);
    }

    /** Every key of {@code domain}, oldest first. */
    public List<Info> list(String domain) {
        return store.keys(domain).stream().map(DomainKeys::info).toList();
    }

    /** The active keys of {@code domain}, ready to sign with. */
    public List<DkimKey> signing(String domain) {
        String name;
        try {
            name = org.letterbox.store.account.Accounts.normalizeDomain(domain);
        } catch (RuntimeException e) {
            return List.of();
        }
        // RSA first: every verifier knows it; Ed25519 after it (RFC 8463 verifiers are fewer)
        return store.keys(name).stream().filter(key -> key.state() == DkimKeyStore.State.ACTIVE)
            .map(DomainKeys::key).sorted(java.util.Comparator.comparing(DkimKey::algorithm)).toList();
    }

    /**
     * The scheduled upkeep of {@code domains}: pending pairs older than {@code activateAfter} are switched to (when it
     * is not zero), and retired keys older than {@code keepRetired} removed.
     */
    public void upkeep(List<String> domains, Duration activateAfter, Duration keepRetired) {
        Instant now = clock.instant();
        for (String domain : domains) {
            if (!activateAfter.isZero()) {
                boolean due = store.keys(domain).stream().anyMatch(key -> key.state() == DkimKeyStore.State.PENDING
                    && !key.created().plus(activateAfter).isAfter(now));
                if (due && activate(domain) > 0) {
                    LOGGER.info("dkim: {} now signs with its new keys", domain);
                }
            }
            int removed = store.removeRetired(domain, now.minus(keepRetired));
            if (removed > 0) {
                LOGGER.info("dkim: removed {} retired keys of {}; their DNS records can go", removed, domain);
            }
        }
    }

    private List<StoredKey> save(String domain, DkimKeyStore.State state) {
        Set<String> taken = store.keys(domain).stream().map(StoredKey::selector).collect(Collectors.toSet());
        Instant now = clock.instant();
        List<StoredKey> keys = new ArrayList<>();
        for (DkimKey key : KeyPairs.generate(ascii(domain), LocalDate.ofInstant(now, ZoneOffset.UTC), taken)) {
            keys.add(new StoredKey(org.letterbox.store.account.Accounts.normalizeDomain(domain), key.selector(), key.algorithm().tag(), key.privateKeyPkcs8(),
                Base64.getEncoder().encodeToString(key.publicKeyData()), now, state, now));
        }
        store.add(keys);
        return keys;
    }

    static DkimKey key(StoredKey stored) {
        DkimAlgorithm algorithm = DkimAlgorithm.ofTag(stored.algorithm())
            .orElseThrow(() -> new IllegalStateException("unknown DKIM algorithm " + stored.algorithm()));
        return DkimKey.of(ascii(stored.domain()), stored.selector(), algorithm, stored.privateKey(),
            Base64.getDecoder().decode(stored.publicKey()));
    }

    /** A domain as DKIM's d= and DNS names write it: A-labels (RFC 8616). */
    static String ascii(String domain) {
        return java.net.IDN.toASCII(domain, java.net.IDN.ALLOW_UNASSIGNED).toLowerCase(java.util.Locale.ROOT);
    }

    private static Info info(StoredKey stored) {
        DkimKey key = key(stored);
        return new Info(stored.domain(), stored.selector(), stored.algorithm(), stored.state().name().toLowerCase(),
            stored.created().toString(), key.dnsName(), key.dnsRecord());
    }
}

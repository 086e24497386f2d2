package org.letterbox.server.dkim;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.letterbox.mailauth.dkim.DkimKey;
import org.letterbox.mailauth.dkim.SigningKeys;
import org.letterbox.store.dkim.DkimKeyStore;

/** The active keys of each domain, read from the store once and forgotten whenever any key changes. */
public final class CachedSigningKeys implements SigningKeys {

    private final DomainKeys keys;
    private final Map<String, List<DkimKey>> cache = new ConcurrentHashMap<>();

    public CachedSigningKeys(DomainKeys keys, DkimKeyStore store) {
        this.keys = keys;
        store.onChange(cache::clear);
    }

    @Override
    public List<DkimKey> forDomain(String domain) {
        return cache.computeIfAbsent(domain.toLowerCase(Locale.ROOT), keys::signing);
    }
}

package org.letterbox.store.quota;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.james.core.Domain;
import org.apache.james.core.quota.QuotaCountLimit;
import org.apache.james.core.quota.QuotaSizeLimit;
import org.apache.james.mailbox.model.Quota;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.letterbox.store.jdbc.Database;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;

/**
 * Quota limits per user (quota root), per domain and global, in {@code quota_max}. A stored limit of -1 means
 * "unlimited", which differs from no row at all ("inherit from the wider scope").
 */
public final class JdbcMaxQuotaManager implements MaxQuotaManager {

    private static final String USER = "user";
    private static final String DOMAIN = "domain";
    private static final String GLOBAL = "global";
    private static final String COUNT = "count";
    private static final String SIZE = "size";
    private static final long UNLIMITED = -1;

    private final Database db;
    /**
     * Limits by scope, key and resource, absent ones included: every APPEND and delivery asks for six of them. The
     * changes go through {@link #set} or {@link #remove}; those of other nodes sharing the database empty it.
     */
    private final ConcurrentHashMap<String, Optional<Long>> cache = new ConcurrentHashMap<>();

    private volatile Runnable onChange = () -> { };

    public JdbcMaxQuotaManager(Database db) {
        this.db = db;
    }

    /** Runs {@code listener} after every change of a limit (to tell other nodes). */
    public void onChange(Runnable listener) {
        this.onChange = listener;
    }

    /** Forgets every cached limit: another node changed one. */
    public void forgetCached() {
        cache.clear();
    }

    private static String cacheKey(String scope, String key, String resource) {
        return scope + '\u0000' + key + '\u0000' + resource;
    }

    private Optional<Long> get(String scope, String key, String resource) {
        return cache.computeIfAbsent(cacheKey(scope, key, resource), ignored -> read(scope, key, resource));
    }

    private Optional<Long> read(String scope, String key, String resource) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT quota_limit FROM quota_max WHERE scope = ? AND scope_key = ? AND resource = ?")) {
                select.setString(1, scope);
                select.setString(2, key);
                select.setString(3, resource);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
                }
            }
        });
    }

    private void set(String scope, String key, String resource, long value) {
        db.write(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM quota_max WHERE scope = ? AND scope_key = ? AND resource = ?");
                 PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO quota_max (scope, scope_key, resource, quota_limit) VALUES (?, ?, ?, ?)")) {
                delete.setString(1, scope);
                delete.setString(2, key);
                delete.setString(3, resource);
                delete.executeUpdate();
                insert.setString(1, scope);
                insert.setString(2, key);
                insert.setString(3, resource);
                insert.setLong(4, value);
                return insert.executeUpdate();
            }
        });
        cache.put(cacheKey(scope, key, resource), Optional.of(value));
        onChange.run();
    }

    private void remove(String scope, String key, String resource) {
        db.write(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM quota_max WHERE scope = ? AND scope_key = ? AND resource = ?")) {
                delete.setString(1, scope);
                delete.setString(2, key);
                delete.setString(3, resource);
                return delete.executeUpdate();
            }
        });
        cache.put(cacheKey(scope, key, resource), Optional.empty());
        onChange.run();
    }

    private static long encode(QuotaCountLimit limit) {
        return limit.isLimited() ? limit.asLong() : UNLIMITED;
    }

    private static long encode(QuotaSizeLimit limit) {
        return limit.isLimited() ? limit.asLong() : UNLIMITED;
    }

    private static QuotaCountLimit countLimit(long value) {
        return value == UNLIMITED ? QuotaCountLimit.unlimited() : QuotaCountLimit.count(value);
    }

    private static QuotaSizeLimit sizeLimit(long value) {
        return value == UNLIMITED ? QuotaSizeLimit.unlimited() : QuotaSizeLimit.size(value);
    }

    private static String domainKey(Domain domain) {
        return domain.asString();
    }

    @Override
    public void setMaxStorage(QuotaRoot quotaRoot, QuotaSizeLimit limit) {
        set(USER, quotaRoot.getValue(), SIZE, encode(limit));
    }

    @Override
    public Publisher<Void> setMaxStorageReactive(QuotaRoot quotaRoot, QuotaSizeLimit limit) {
        return Mono.fromRunnable(() -> setMaxStorage(quotaRoot, limit));
    }

    @Override
    public void setMaxMessage(QuotaRoot quotaRoot, QuotaCountLimit limit) {
        set(USER, quotaRoot.getValue(), COUNT, encode(limit));
    }

    @Override
    public Publisher<Void> setMaxMessageReactive(QuotaRoot quotaRoot, QuotaCountLimit limit) {
        return Mono.fromRunnable(() -> setMaxMessage(quotaRoot, limit));
    }

    @Override
    public void removeMaxMessage(QuotaRoot quotaRoot) {
        remove(USER, quotaRoot.getValue(), COUNT);
    }

    @Override
    public Publisher<Void> removeMaxMessageReactive(QuotaRoot quotaRoot) {
        return Mono.fromRunnable(() -> removeMaxMessage(quotaRoot));
    }

    @Override
    public void removeMaxStorage(QuotaRoot quotaRoot) {
        remove(USER, quotaRoot.getValue(), SIZE);
    }

    @Override
    public Publisher<Void> removeMaxStorageReactive(QuotaRoot quotaRoot) {
        return Mono.fromRunnable(() -> removeMaxStorage(quotaRoot));
    }

    @Override
    public void setGlobalMaxStorage(QuotaSizeLimit limit) {
        set(GLOBAL, "", SIZE, encode(limit));
    }

    @Override
    public Publisher<Void> setGlobalMaxStorageReactive(QuotaSizeLimit limit) {
        return Mono.fromRunnable(() -> setGlobalMaxStorage(limit));
    }

    @Override
    public void removeGlobalMaxStorage() {
        remove(GLOBAL, "", SIZE);
    }

    @Override
    public Publisher<Void> removeGlobalMaxStorageReactive() {
        return Mono.fromRunnable(this::removeGlobalMaxStorage);
    }

    @Override
    public void setGlobalMaxMessage(QuotaCountLimit limit) {
        set(GLOBAL, "", COUNT, encode(limit));
    }

    @Override
    public Publisher<Void> setGlobalMaxMessageReactive(QuotaCountLimit limit) {
        return Mono.fromRunnable(() -> setGlobalMaxMessage(limit));
    }

    @Override
    public void removeGlobalMaxMessage() {
        remove(GLOBAL, "", COUNT);
    }

    @Override
    public Publisher<Void> removeGlobalMaxMessageReactive() {
        return Mono.fromRunnable(this::removeGlobalMaxMessage);
    }

    @Override
    public Optional<QuotaSizeLimit> getGlobalMaxStorage() {
        return get(GLOBAL, "", SIZE).map(JdbcMaxQuotaManager::sizeLimit);
    }

    @Override
    public Publisher<QuotaSizeLimit> getGlobalMaxStorageReactive() {
        return Mono.fromCallable(() -> getGlobalMaxStorage().orElse(null));
    }

    @Override
    public Optional<QuotaCountLimit> getGlobalMaxMessage() {
        return get(GLOBAL, "", COUNT).map(JdbcMaxQuotaManager::countLimit);
    }

    @Override
    public Publisher<QuotaCountLimit> getGlobalMaxMessageReactive() {
        return Mono.fromCallable(() -> getGlobalMaxMessage().orElse(null));
    }

    @Override
    public Map<Quota.Scope, QuotaCountLimit> listMaxMessagesDetails(QuotaRoot quotaRoot) {
        Map<Quota.Scope, QuotaCountLimit> result = new LinkedHashMap<>();
        get(USER, quotaRoot.getValue(), COUNT).ifPresent(v -> result.put(Quota.Scope.User, countLimit(v)));
        quotaRoot.getDomain().flatMap(this::getDomainMaxMessage).ifPresent(v -> result.put(Quota.Scope.Domain, v));
        getGlobalMaxMessage().ifPresent(v -> result.put(Quota.Scope.Global, v));
        return result;
    }

    @Override
    public Map<Quota.Scope, QuotaSizeLimit> listMaxStorageDetails(QuotaRoot quotaRoot) {
        Map<Quota.Scope, QuotaSizeLimit> result = new LinkedHashMap<>();
        get(USER, quotaRoot.getValue(), SIZE).ifPresent(v -> result.put(Quota.Scope.User, sizeLimit(v)));
        quotaRoot.getDomain().flatMap(this::getDomainMaxStorage).ifPresent(v -> result.put(Quota.Scope.Domain, v));
        getGlobalMaxStorage().ifPresent(v -> result.put(Quota.Scope.Global, v));
        return result;
    }

    @Override
    public Optional<QuotaCountLimit> getDomainMaxMessage(Domain domain) {
        return get(DOMAIN, domainKey(domain), COUNT).map(JdbcMaxQuotaManager::countLimit);
    }

    @Override
    public Publisher<QuotaCountLimit> getDomainMaxMessageReactive(Domain domain) {
        return Mono.fromCallable(() -> getDomainMaxMessage(domain).orElse(null));
    }

    @Override
    public void setDomainMaxMessage(Domain domain, QuotaCountLimit count) {
        set(DOMAIN, domainKey(domain), COUNT, encode(count));
    }

    @Override
    public Publisher<Void> setDomainMaxMessageReactive(Domain domain, QuotaCountLimit count) {
        return Mono.fromRunnable(() -> setDomainMaxMessage(domain, count));
    }

    @Override
    public void removeDomainMaxMessage(Domain domain) {
        remove(DOMAIN, domainKey(domain), COUNT);
    }

    @Override
    public Publisher<Void> removeDomainMaxMessageReactive(Domain domain) {
        return Mono.fromRunnable(() -> removeDomainMaxMessage(domain));
    }

    @Override
    public void setDomainMaxStorage(Domain domain, QuotaSizeLimit size) {
        set(DOMAIN, domainKey(domain), SIZE, encode(size));
    }

    @Override
    public Publisher<Void> setDomainMaxStorageReactive(Domain domain, QuotaSizeLimit size) {
        return Mono.fromRunnable(() -> setDomainMaxStorage(domain, size));
    }

    @Override
    public Optional<QuotaSizeLimit> getDomainMaxStorage(Domain domain) {
        return get(DOMAIN, domainKey(domain), SIZE).map(JdbcMaxQuotaManager::sizeLimit);
    }

    @Override
    public Publisher<QuotaSizeLimit> getDomainMaxStorageReactive(Domain domain) {
        return Mono.fromCallable(() -> getDomainMaxStorage(domain).orElse(null));
    }

    @Override
    public void removeDomainMaxStorage(Domain domain) {
        remove(DOMAIN, domainKey(domain), SIZE);
    }

    @Override
    public Publisher<Void> removeDomainMaxStorageReactive(Domain domain) {
        return Mono.fromRunnable(() -> removeDomainMaxStorage(domain));
    }
}

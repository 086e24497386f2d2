package org.letterbox.store.quota;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import org.apache.james.core.Username;
import org.apache.james.core.quota.QuotaCountUsage;
import org.apache.james.core.quota.QuotaSizeUsage;
import org.apache.james.mailbox.SessionProvider;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.CurrentQuotas;
import org.apache.james.mailbox.model.QuotaOperation;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.mailbox.quota.CurrentQuotaManager;
import org.apache.james.mailbox.store.quota.CurrentQuotaCalculator;

import reactor.core.publisher.Mono;

/**
 * Current usage (message count and bytes) per quota root, derived from the stored messages themselves.
 *
 * <p>The first look-up of a root sums its mailboxes in the database; {@link QuotaUsageListener} then keeps that figure
 * current from the mailbox events. Usage is never written as a separate counter, so it cannot drift from the data
 * after a crash, and an append costs no extra commit.
 */
public final class DerivedCurrentQuotaManager implements CurrentQuotaManager {

    private final CurrentQuotaCalculator calculator;
    private final SessionProvider sessionProvider;
    private final ConcurrentHashMap<QuotaRoot, CurrentQuotas> usage = new ConcurrentHashMap<>();

    public DerivedCurrentQuotaManager(CurrentQuotaCalculator calculator, SessionProvider sessionProvider) {
        this.calculator = calculator;
        this.sessionProvider = sessionProvider;
    }

    private CurrentQuotas load(QuotaRoot root) {
        return usage.computeIfAbsent(root, key -> calculator
            .recalculateCurrentQuotas(key, sessionProvider.createSystemSession(Username.of(key.getValue())))
            .block());
    }

    @Override
    public Mono<QuotaCountUsage> getCurrentMessageCount(QuotaRoot quotaRoot) {
        return Mono.fromCallable(() -> load(quotaRoot).count()).onErrorMap(DerivedCurrentQuotaManager::wrap);
    }

    @Override
    public Mono<QuotaSizeUsage> getCurrentStorage(QuotaRoot quotaRoot) {
        return Mono.fromCallable(() -> load(quotaRoot).size()).onErrorMap(DerivedCurrentQuotaManager::wrap);
    }

    @Override
    public Mono<CurrentQuotas> getCurrentQuotas(QuotaRoot quotaRoot) {
        return Mono.fromCallable(() -> load(quotaRoot)).onErrorMap(DerivedCurrentQuotaManager::wrap);
    }

    @Override
    public Mono<Void> increase(QuotaOperation operation) {
        return update(operation.quotaRoot(), current -> current.increase(new CurrentQuotas(operation.count(), operation.size())));
    }

    @Override
    public Mono<Void> decrease(QuotaOperation operation) {
        return update(operation.quotaRoot(), current -> current.decrease(new CurrentQuotas(operation.count(), operation.size())));
    }

    @Override
    public Mono<Void> setCurrentQuotas(QuotaOperation operation) {
        return Mono.fromRunnable(() -> usage.put(operation.quotaRoot(), new CurrentQuotas(operation.count(), operation.size())));
    }

    /**
     * Counts committed messages added under a root. A root not looked up yet is left alone: its first look-up sums
     * the committed messages, these among them.
     */
    public void recordAdded(QuotaRoot root, long count, long size) {
        usage.computeIfPresent(root, (key, current) ->
            current.increase(new CurrentQuotas(QuotaCountUsage.count(count), QuotaSizeUsage.size(size))));
    }

    /** Counts committed removals from under a root; as {@link #recordAdded}, a root not looked up yet is left alone. */
    public void recordRemoved(QuotaRoot root, long count, long size) {
        usage.computeIfPresent(root, (key, current) ->
            current.decrease(new CurrentQuotas(QuotaCountUsage.count(count), QuotaSizeUsage.size(size))));
    }

    private Mono<Void> update(QuotaRoot root, UnaryOperator<CurrentQuotas> change) {
        return Mono.fromRunnable(() -> {
            load(root);
            usage.computeIfPresent(root, (key, current) -> change.apply(current));
        }).onErrorMap(DerivedCurrentQuotaManager::wrap).then();
    }

    private static Throwable wrap(Throwable t) {
        return t instanceof MailboxException ? t : new MailboxException("cannot compute quota usage", t);
    }
}

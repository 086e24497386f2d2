package org.letterbox.store.events;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.james.events.Event;
import org.apache.james.events.EventBus;
import org.apache.james.events.EventBusName;
import org.apache.james.events.EventDeadLetters;
import org.apache.james.events.EventListener.ReactiveEventListener;
import org.apache.james.events.Group;
import org.apache.james.events.GroupAlreadyRegistered;
import org.apache.james.events.GroupRegistrationNotFound;
import org.apache.james.events.Registration;
import org.apache.james.events.RegistrationKey;
import org.apache.james.events.RetryBackoffConfiguration;
import org.apache.james.events.delivery.EventDelivery;
import org.apache.james.events.delivery.EventDelivery.DeliveryOption;
import org.apache.james.events.delivery.EventDelivery.PermanentFailureHandler.StoreToDeadLetters;
import org.apache.james.events.delivery.EventDelivery.Retryer.BackoffRetryer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The event bus of one node: an event goes to every listener registered under one of its keys and to every group
 * listener, group listeners with retries and dead letters.
 *
 * <p>It replaces James's {@code InVMEventBus}, which kept its key listeners in a synchronized multimap but read
 * them at dispatch without the lock: a session that selected or closed a mailbox while another session's change to
 * that mailbox was dispatched made the change fail ({@code ConcurrentModificationException}, {@code NO STORE
 * processing failed}). Here the listeners of a key are changed only inside the map's atomic update of that key, and
 * a dispatch reads a snapshot of them.
 */
public final class LocalEventBus implements EventBus {

    private static final Logger LOGGER = LoggerFactory.getLogger(LocalEventBus.class);
    private static final EventBusName NAME = new EventBusName("LocalEventBus");
    /** How many listeners of one event's keys are delivered to at once. */
    private static final int KEY_DELIVERIES_AT_ONCE = 10;

    private final EventDelivery delivery;
    private final RetryBackoffConfiguration retryBackoff;
    private final EventDeadLetters deadLetters;
    private final ConcurrentHashMap<RegistrationKey, Set<ReactiveEventListener>> listenersByKey = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Group, ReactiveEventListener> groups = new ConcurrentHashMap<>();

    public LocalEventBus(EventDelivery delivery, RetryBackoffConfiguration retryBackoff, EventDeadLetters deadLetters) {
        this.delivery = delivery;
        this.retryBackoff = retryBackoff;
        this.deadLetters = deadLetters;
    }

    @Override
    public Mono<Registration> register(ReactiveEventListener listener, RegistrationKey key) {
        listenersByKey.compute(key, (k, listeners) -> {
            Set<ReactiveEventListener> set = listeners == null ? ConcurrentHashMap.newKeySet() : listeners;
            set.add(listener);
            return set;
        });
        return Mono.just(() -> Mono.fromRunnable(() -> unregister(key, listener)));
    }

    private void unregister(RegistrationKey key, ReactiveEventListener listener) {
        listenersByKey.computeIfPresent(key, (k, listeners) -> {
            listeners.remove(listener);
            return listeners.isEmpty() ? null : listeners;
        });
    }

    @Override
    public Registration register(ReactiveEventListener listener, Group group) throws GroupAlreadyRegistered {
        if (groups.putIfAbsent(group, listener) != null) {
            throw new GroupAlreadyRegistered(group);
        }
        return () -> Mono.fromRunnable(() -> groups.remove(group, listener));
    }

    @Override
    public Mono<Void> dispatch(Event event, Set<RegistrationKey> keys) {
        return event.isNoop() ? Mono.empty() : Mono.defer(() -> deliver(event, keys));
    }

    private Mono<Void> deliver(Event event, Set<RegistrationKey> keys) {
        // Only the listeners that handle the event are given it: a delivery is announced for every stored message,
        // and most group listeners ignore most events, so no delivery pipeline is built for them.
        List<Mono<Void>> deliveries = new ArrayList<>(groups.size() + 1);
        groups.forEach((group, listener) -> {
            if (listener.isHandling(event)) {
                deliveries.add(toGroup(event, listener, group));
            }
        });
        List<ReactiveEventListener> keyListeners = keys.stream()
            .flatMap(key -> listenersByKey.getOrDefault(key, Set.of()).stream())
            .distinct()
            .filter(listener -> listener.isHandling(event))
            .toList();
        if (!keyListeners.isEmpty()) {
            deliveries.add(Flux.fromIterable(keyListeners)
                .flatMap(listener -> delivery.deliver(listener, event, DeliveryOption.none()), KEY_DELIVERIES_AT_ONCE)
                .then());
        }
        if (deliveries.isEmpty()) {
            return Mono.empty();
        }
        return (deliveries.size() == 1 ? deliveries.get(0) : Mono.when(deliveries))
            .onErrorResume(e -> {
                LOGGER.warn("event {} not delivered to every listener", event.getClass().getSimpleName(), e);
                return Mono.empty();
            });
    }

    @Override
    public Mono<Void> reDeliver(Group group, Event event) {
        if (event.isNoop()) {
            return Mono.empty();
        }
        ReactiveEventListener listener = groups.get(group);
        return listener == null ? Mono.error(new GroupRegistrationNotFound(group)) : toGroup(event, listener, group);
    }

    private Mono<Void> toGroup(Event event, ReactiveEventListener listener, Group group) {
        return delivery.deliver(listener, event, DeliveryOption.of(BackoffRetryer.of(retryBackoff, listener),
            StoreToDeadLetters.of(group, deadLetters)));
    }

    @Override
    public EventBusName eventBusName() {
        return NAME;
    }

    @Override
    public Collection<Group> listRegisteredGroups() {
        return List.copyOf(groups.keySet());
    }
}
